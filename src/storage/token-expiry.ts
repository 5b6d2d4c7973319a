// Issued SCIM tokens by expiry: the deployment-wide report of live tokens that expire soon, and a
// tenant's tokens over all its clients (the per-client listing is in tenants.ts).
import { and, desc, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "./db";
import { issuedTokens, scimClients, tenants } from "./tables";

/** Live tokens (not revoked, client active, tenant active, not expired) expiring by `until`, soonest first. */
export const listExpiringTokens = (db: Db, now: string, until: string, limit: number) =>
  db
    .select({
      tenantId: issuedTokens.tenantId,
      tenantName: tenants.name,
      clientId: issuedTokens.clientId,
      jti: issuedTokens.jti,
      expiresAt: issuedTokens.expiresAt,
    })
    .from(issuedTokens)
    .innerJoin(tenants, and(eq(tenants.id, issuedTokens.tenantId), eq(tenants.state, "active")))
    .innerJoin(scimClients, and(eq(scimClients.clientId, issuedTokens.clientId), eq(scimClients.status, "active")))
    .where(and(isNull(issuedTokens.revokedAt), gt(issuedTokens.expiresAt, now), lte(issuedTokens.expiresAt, until)))
    .orderBy(issuedTokens.expiresAt, issuedTokens.jti)
    .limit(limit);

/** A tenant's issued tokens over all its clients, newest first (at most 500). */
export const listTenantTokens = (db: Db, tenantId: string) =>
  db.select().from(issuedTokens).where(eq(issuedTokens.tenantId, tenantId)).orderBy(desc(issuedTokens.issuedAt)).limit(500);
