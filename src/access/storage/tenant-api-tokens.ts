// Tenant API tokens (`scimta_…`, stored as SHA-256 hashes): issue, list, revoke, and the lookup
// of a live token by its hash, which also notes when it was last used.
import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { tenantApiTokens, tenants } from "../../platform/schema/tables";

export type TenantApiTokenRow = typeof tenantApiTokens.$inferSelect;

/** last_used_at is rewritten at most this often, so a busy script costs no write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export const insertTenantApiToken = (db: Db, row: TenantApiTokenRow) => db.insert(tenantApiTokens).values(row);

export const listTenantApiTokens = (db: Db, tenantId: string) =>
  db
    .select()
    .from(tenantApiTokens)
    .where(eq(tenantApiTokens.tenantId, tenantId))
    .orderBy(desc(tenantApiTokens.createdAt))
    .limit(200);

export const revokeTenantApiToken = (db: Db, tenantId: string, id: string, now: string) =>
  db
    .update(tenantApiTokens)
    .set({ revokedAt: now })
    .where(and(eq(tenantApiTokens.tenantId, tenantId), eq(tenantApiTokens.id, id), isNull(tenantApiTokens.revokedAt)))
    .returning({ id: tenantApiTokens.id });

/** The token whose secret hashes to `tokenHash`, if unrevoked, unexpired and its tenant active. */
export async function findLiveApiToken(db: Db, tokenHash: string, now: string): Promise<{ id: string; tenantId: string } | undefined> {
  const rows = await db
    .select({ id: tenantApiTokens.id, tenantId: tenantApiTokens.tenantId })
    .from(tenantApiTokens)
    .innerJoin(tenants, and(eq(tenants.id, tenantApiTokens.tenantId), eq(tenants.state, "active")))
    .where(and(eq(tenantApiTokens.tokenHash, tokenHash), isNull(tenantApiTokens.revokedAt), gt(tenantApiTokens.expiresAt, now)))
    .limit(1);
  return rows[0];
}

export const touchApiToken = (db: Db, id: string, now: Date) =>
  db
    .update(tenantApiTokens)
    .set({ lastUsedAt: now.toISOString() })
    .where(
      and(
        eq(tenantApiTokens.id, id),
        or(isNull(tenantApiTokens.lastUsedAt), lt(tenantApiTokens.lastUsedAt, new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString())),
      ),
    );
