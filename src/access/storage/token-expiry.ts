// Issued SCIM tokens by expiry: the deployment-wide report of live tokens that expire soon, and a
// tenant's tokens over all its clients (the per-client listing is in tenants.ts).
import { and, desc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import type { Bindings } from "../../config";
import type { Db } from "../../platform/d1/db";
import { readPlacedRows } from "../../tenancy/port";
import { listExpiringApiTokens } from "./tenant-api-tokens";
import { issuedTokens, scimClients, tenants } from "../../platform/schema/tables";

/**
 * Live tokens (not revoked, client active, tenant active, not expired) made to last longer than a
 * day and expiring by `until`, soonest first. Short-lived access tokens renew themselves.
 */
export const listExpiringTokens = (db: Db, now: string, until: string, limit: number) =>
  db
    .select({
      tenantId: issuedTokens.tenantId,
      tenantName: tenants.name,
      clientId: issuedTokens.clientId,
      jti: issuedTokens.jti,
      issuedAt: issuedTokens.issuedAt,
      expiresAt: issuedTokens.expiresAt,
    })
    .from(issuedTokens)
    .innerJoin(tenants, and(eq(tenants.id, issuedTokens.tenantId), eq(tenants.state, "active")))
    .innerJoin(scimClients, and(eq(scimClients.clientId, issuedTokens.clientId), eq(scimClients.status, "active")))
    .where(
      and(
        isNull(issuedTokens.revokedAt),
        gt(issuedTokens.expiresAt, now),
        lte(issuedTokens.expiresAt, until),
        sql`julianday(${issuedTokens.expiresAt}) - julianday(${issuedTokens.issuedAt}) > 1`,
      ),
    )
    .orderBy(issuedTokens.expiresAt, issuedTokens.jti)
    .limit(limit);

/** The same over every shard, merged soonest first (rows a move left behind are not listed). */
export async function listExpiringTokensEverywhere(env: Bindings, directory: Db, now: string, until: string, limit: number) {
  const rows = await readPlacedRows(env, directory, (db) => listExpiringTokens(db, now, until, limit), (t) => t.tenantId);
  return rows.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.jti.localeCompare(b.jti)).slice(0, limit);
}

/** A tenant's issued tokens over all its clients, newest first (at most 500). */
export const listTenantTokens = (db: Db, tenantId: string) =>
  db.select().from(issuedTokens).where(eq(issuedTokens.tenantId, tenantId)).orderBy(desc(issuedTokens.issuedAt)).limit(500);

/** Live tenant API tokens expiring by `until` over every shard, soonest first. */
export async function listExpiringApiTokensEverywhere(env: Bindings, directory: Db, now: string, until: string, limit: number) {
  const rows = await readPlacedRows(env, directory, (db) => listExpiringApiTokens(db, now, until, limit), (t) => t.tenantId);
  return rows.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.id.localeCompare(b.id)).slice(0, limit);
}
