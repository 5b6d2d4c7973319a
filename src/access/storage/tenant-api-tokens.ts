// Tenant API tokens (`scimta_…`, stored as SHA-256 hashes): issue, list, revoke, and the lookup
// of a live token by its hash, which also notes when it was last used.
import { and, desc, eq, gt, isNull, lt, lte, or } from "drizzle-orm";
import { apiTokenCreator, derivedRevocations } from "./credential-cascade";
import type { Db } from "../../platform/d1/db";
import { issuedTokens, scimClients, tenantApiTokens, tenants } from "../../platform/schema/tables";
import { runParts } from "../../platform/d1/batch";

export type TenantApiTokenRow = typeof tenantApiTokens.$inferSelect;

/** last_used_at is rewritten at most this often, so a busy script costs no write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export const insertTenantApiToken = (db: Db, row: typeof tenantApiTokens.$inferInsert) => db.insert(tenantApiTokens).values(row);

export const listTenantApiTokens = (db: Db, tenantId: string) =>
  db
    .select()
    .from(tenantApiTokens)
    .where(eq(tenantApiTokens.tenantId, tenantId))
    .orderBy(desc(tenantApiTokens.createdAt))
    .limit(200);

/** Revoke an API token and, in the same batch, what it made that was not kept. False: none live. */
export async function revokeTenantApiToken(db: Db, tenantId: string, id: string, now: string): Promise<boolean> {
  const { revoked } = await runParts(db, {
    revoked: db
      .update(tenantApiTokens)
      .set({ revokedAt: now })
      .where(and(eq(tenantApiTokens.tenantId, tenantId), eq(tenantApiTokens.id, id), isNull(tenantApiTokens.revokedAt)))
      .returning({ id: tenantApiTokens.id }),
    derived: derivedRevocations(db, tenantId, apiTokenCreator(id), now),
  });
  return revoked.length > 0;
}

export async function findTenantApiToken(db: Db, tenantId: string, id: string): Promise<TenantApiTokenRow | undefined> {
  return (await db.select().from(tenantApiTokens).where(and(eq(tenantApiTokens.tenantId, tenantId), eq(tenantApiTokens.id, id))).limit(1))[0];
}

/** The SCIM clients and tokens an API token made (at most 200 of each), for the operator. */
export async function createdByApiToken(db: Db, tenantId: string, id: string) {
  const creator = `api-token:${id}`;
  return runParts(db, {
    clients: db.select().from(scimClients).where(and(eq(scimClients.tenantId, tenantId), eq(scimClients.createdBy, creator))).limit(200),
    tokens: db.select().from(issuedTokens).where(and(eq(issuedTokens.tenantId, tenantId), eq(issuedTokens.createdBy, creator))).limit(200),
  });
}

/** Live API tokens of active tenants expiring by `until`, soonest first (the expiry report). */
export const listExpiringApiTokens = (db: Db, now: string, until: string, limit: number) =>
  db
    .select({ tenantId: tenantApiTokens.tenantId, tenantName: tenants.name, id: tenantApiTokens.id, name: tenantApiTokens.name,
      createdAt: tenantApiTokens.createdAt, expiresAt: tenantApiTokens.expiresAt, createdBy: tenantApiTokens.createdBy })
    .from(tenantApiTokens)
    .innerJoin(tenants, and(eq(tenants.id, tenantApiTokens.tenantId), eq(tenants.state, "active")))
    .where(and(isNull(tenantApiTokens.revokedAt), gt(tenantApiTokens.expiresAt, now), lte(tenantApiTokens.expiresAt, until)))
    .orderBy(tenantApiTokens.expiresAt, tenantApiTokens.id)
    .limit(limit);

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
