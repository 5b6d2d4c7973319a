// The extension schemas a tenant declared: list, upsert, delete. The rows hold the declaration
// as the admin API accepted it; src/scim/http/tenant-schemas.ts turns them into the tenant's registry.
import { and, asc, count, eq } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { tenantExtensions } from "../../platform/schema/tables";

export type TenantExtensionRow = typeof tenantExtensions.$inferSelect;

export const listTenantExtensions = (db: Db, tenantId: string) =>
  db.select().from(tenantExtensions).where(eq(tenantExtensions.tenantId, tenantId)).orderBy(asc(tenantExtensions.createdAt), asc(tenantExtensions.urnKey));

export async function findTenantExtension(db: Db, tenantId: string, urn: string): Promise<TenantExtensionRow | undefined> {
  const where = and(eq(tenantExtensions.tenantId, tenantId), eq(tenantExtensions.urnKey, urn.toLowerCase()));
  return (await db.select().from(tenantExtensions).where(where).limit(1))[0];
}

export async function countTenantExtensions(db: Db, tenantId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(tenantExtensions).where(eq(tenantExtensions.tenantId, tenantId));
  return row?.n ?? 0;
}

/** Insert or replace one declaration; returns whether it was new. */
export async function upsertTenantExtension(
  db: Db,
  row: Omit<TenantExtensionRow, "urnKey" | "createdAt" | "updatedAt">,
  now: string,
): Promise<boolean> {
  const existing = await findTenantExtension(db, row.tenantId, row.schemaUrn);
  await db
    .insert(tenantExtensions)
    .values({ ...row, urnKey: row.schemaUrn.toLowerCase(), createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [tenantExtensions.tenantId, tenantExtensions.urnKey],
      set: { schemaUrn: row.schemaUrn, resourceType: row.resourceType, name: row.name, description: row.description, attributes: row.attributes, updatedAt: now },
    });
  return existing === undefined;
}

export async function deleteTenantExtension(db: Db, tenantId: string, urn: string): Promise<boolean> {
  const where = and(eq(tenantExtensions.tenantId, tenantId), eq(tenantExtensions.urnKey, urn.toLowerCase()));
  return (await db.delete(tenantExtensions).where(where).returning({ urn: tenantExtensions.schemaUrn })).length > 0;
}
