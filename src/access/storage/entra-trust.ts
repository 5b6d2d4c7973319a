// Per-tenant trust of Entra-issued tokens: which Entra tenant, audience and JWKS URL (docs/auth.md),
// on the tenant's shard, with a copy in the directory that routes the tokens.
import { eq } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { entraTokenTrust, entraTrustDirectory, tenantPlacement } from "../../platform/schema/tables";

export type EntraTrustRow = typeof entraTokenTrust.$inferSelect;

export async function findTrust(db: Db, tenantId: string): Promise<EntraTrustRow | undefined> {
  return (await db.select().from(entraTokenTrust).where(eq(entraTokenTrust.tenantId, tenantId)).limit(1))[0];
}

/** Insert or replace; the unique index on entra_tenant_id maps to 409 in the route. */
export const upsertTrust = (db: Db, row: typeof entraTokenTrust.$inferInsert) =>
  db
    .insert(entraTokenTrust)
    .values(row)
    .onConflictDoUpdate({
      target: entraTokenTrust.tenantId,
      set: {
        entraTenantId: row.entraTenantId,
        audience: row.audience,
        jwksUrl: row.jwksUrl,
        updatedAt: row.updatedAt,
        appId: row.appId,
        assertionAudience: row.assertionAudience,
      },
    });

export const deleteTrust = (db: Db, tenantId: string) =>
  db.delete(entraTokenTrust).where(eq(entraTokenTrust.tenantId, tenantId)).returning({ tenantId: entraTokenTrust.tenantId });

// The directory's copy (src/platform/schema/directory-tables.ts): an Entra-issued token names only its
// Entra tenant, so the trust must be found before the tenant's shard is known.

export type EntraTrustRoute = Omit<EntraTrustRow, "updatedAt" | "assertionAudience"> & { shard: string };

/** The trust for an Entra tenant with the trusting tenant's shard: one directory read. */
export async function trustRouteByEntraTenant(directory: Db, entraTenantId: string): Promise<EntraTrustRoute | undefined> {
  const rows = await directory
    .select({
      tenantId: entraTrustDirectory.tenantId,
      entraTenantId: entraTrustDirectory.entraTenantId,
      audience: entraTrustDirectory.audience,
      jwksUrl: entraTrustDirectory.jwksUrl,
      appId: entraTrustDirectory.appId,
      shard: tenantPlacement.shard,
    })
    .from(entraTrustDirectory)
    .innerJoin(tenantPlacement, eq(tenantPlacement.tenantId, entraTrustDirectory.tenantId))
    .where(eq(entraTrustDirectory.entraTenantId, entraTenantId))
    .limit(1);
  return rows[0];
}

/** Insert or replace; its primary key (one tenant per Entra tenant, across shards) maps to 409. */
export const upsertTrustRoute = (directory: Db, row: typeof entraTokenTrust.$inferInsert) =>
  directory
    .insert(entraTrustDirectory)
    .values({ entraTenantId: row.entraTenantId, tenantId: row.tenantId, audience: row.audience, jwksUrl: row.jwksUrl, appId: row.appId ?? null })
    .onConflictDoUpdate({
      target: entraTrustDirectory.tenantId,
      set: { entraTenantId: row.entraTenantId, audience: row.audience, jwksUrl: row.jwksUrl, appId: row.appId ?? null },
    });

export const deleteTrustRoute = (directory: Db, tenantId: string) =>
  directory.delete(entraTrustDirectory).where(eq(entraTrustDirectory.tenantId, tenantId));
