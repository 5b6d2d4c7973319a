// Per-tenant trust of Entra-issued tokens: which Entra tenant, audience and JWKS URL (docs/auth.md).
import { eq } from "drizzle-orm";
import type { Db } from "./db";
import { entraTokenTrust } from "./tables";

export type EntraTrustRow = typeof entraTokenTrust.$inferSelect;

export async function findTrustByEntraTenant(db: Db, entraTenantId: string): Promise<EntraTrustRow | undefined> {
  return (await db.select().from(entraTokenTrust).where(eq(entraTokenTrust.entraTenantId, entraTenantId)).limit(1))[0];
}

export async function findTrust(db: Db, tenantId: string): Promise<EntraTrustRow | undefined> {
  return (await db.select().from(entraTokenTrust).where(eq(entraTokenTrust.tenantId, tenantId)).limit(1))[0];
}

/** Insert or replace; the unique index on entra_tenant_id maps to 409 in the route. */
export const upsertTrust = (db: Db, row: EntraTrustRow) =>
  db
    .insert(entraTokenTrust)
    .values(row)
    .onConflictDoUpdate({
      target: entraTokenTrust.tenantId,
      set: { entraTenantId: row.entraTenantId, audience: row.audience, jwksUrl: row.jwksUrl, updatedAt: row.updatedAt },
    });

export const deleteTrust = (db: Db, tenantId: string) =>
  db.delete(entraTokenTrust).where(eq(entraTokenTrust.tenantId, tenantId)).returning({ tenantId: entraTokenTrust.tenantId });
