// Types of bench/seed-users.mjs for the TypeScript tests that import it.
export declare const seededUserId: (i: number) => string;
export declare function seededUserDoc(i: number, domain: string): Record<string, unknown> & { userName: string };
export declare function seedUsers(
  d1: { prepare(sql: string): { bind(...values: unknown[]): { run(): Promise<unknown> } } },
  tenantId: string,
  count: number,
  options: { domain: string; now?: string },
): Promise<void>;
