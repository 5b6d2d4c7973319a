// drizzle over D1, and the mapping of D1 failures to ScimError (constraint → 409 uniqueness).
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import type { BatchItem } from "drizzle-orm/batch";
import { ScimError, uniqueness } from "../scim/errors";
import * as tables from "./tables";

export type Db = DrizzleD1Database<typeof tables>;

export const createDb = (d1: D1Database): Db => drizzle(d1, { schema: tables });

/** Which unique index guards which SCIM attribute, for the 409 detail. */
const UNIQUE_ATTRIBUTE: Record<string, string> = {
  "users.user_name_lc": "userName",
  "groups.display_name_lc": "displayName",
};

/** Map a D1/SQLite error to a ScimError where it is the client's doing; rethrow otherwise. */
export function mapDbError(err: unknown): never {
  const text = String((err as { message?: unknown })?.message ?? err) +
    String((err as { cause?: { message?: unknown } })?.cause?.message ?? "");
  const unique = /UNIQUE constraint failed: ([\w.]+)(?:, ([\w.]+))*/.exec(text);
  if (unique) {
    const columns = text.slice(unique.index).match(/\w+\.\w+/g) ?? [];
    const attr = columns.map((c) => UNIQUE_ATTRIBUTE[c]).find(Boolean) ?? "a unique attribute";
    throw uniqueness(`${attr} is already in use in this tenant`);
  }
  if (err instanceof ScimError) throw err;
  throw err;
}

/** Run statements as one atomic D1 batch (D1 has no interactive transactions). */
export async function runBatch<T extends [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]>(
  db: Db,
  statements: T,
) {
  try {
    return await db.batch(statements);
  } catch (err) {
    mapDbError(err);
  }
}
