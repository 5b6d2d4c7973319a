// Tenants, SCIM clients and issued tokens.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { entraTokenTrust, issuedTokens, scimClients, syncState, tenants } from "../../platform/schema/tables";
import { runParts } from "../../platform/d1/batch";

export type TenantRow = typeof tenants.$inferSelect;
export type ClientRow = typeof scimClients.$inferSelect;
export type IssuedTokenRow = typeof issuedTokens.$inferSelect;

export const insertTenant = (db: Db, row: TenantRow) => db.insert(tenants).values(row);

export const listTenants = (db: Db) => db.select().from(tenants).orderBy(tenants.createdAt, tenants.id);

export const renameTenant = (db: Db, id: string, name: string) =>
  db.update(tenants).set({ name }).where(and(eq(tenants.id, id), eq(tenants.state, "active"))).returning();

/**
 * Offboard a tenant in one D1 batch: it turns "deleting", its clients are revoked (so every token
 * it holds, ours or minted by the admin API, fails the per-request check at once), trust in
 * Entra-issued tokens ends and provisioning stops. Its rows are purged later by the cron.
 */
export async function markTenantDeleting(db: Db, id: string, now: string): Promise<boolean> {
  const { changed } = await runParts(db, {
    changed: db.update(tenants).set({ state: "deleting", deletedAt: now }).where(and(eq(tenants.id, id), eq(tenants.state, "active"))).returning({ id: tenants.id }),
    clients: db.update(scimClients).set({ status: "revoked", revokedAt: now }).where(and(eq(scimClients.tenantId, id), eq(scimClients.status, "active"))),
    entraTrust: db.delete(entraTokenTrust).where(eq(entraTokenTrust.tenantId, id)),
    syncStopped: db.update(syncState).set({ started: false, updatedAt: now }).where(eq(syncState.tenantId, id)),
  });
  return changed.length > 0;
}

export async function findTenant(db: Db, id: string): Promise<TenantRow | undefined> {
  return (await db.select().from(tenants).where(eq(tenants.id, id)).limit(1))[0];
}

export const insertClient = (db: Db, row: typeof scimClients.$inferInsert) => db.insert(scimClients).values(row);

export const listClients = (db: Db, tenantId: string) =>
  db
    .select({
      clientId: scimClients.clientId,
      name: scimClients.name,
      status: scimClients.status,
      createdAt: scimClients.createdAt,
      secretRotatedAt: scimClients.secretRotatedAt,
      revokedAt: scimClients.revokedAt,
      createdBy: scimClients.createdBy,
      endsWithCreator: scimClients.endsWithCreator,
    })
    .from(scimClients)
    .where(eq(scimClients.tenantId, tenantId))
    .orderBy(scimClients.createdAt);

export async function findClient(db: Db, tenantId: string, clientId: string): Promise<ClientRow | undefined> {
  return (
    await db
      .select()
      .from(scimClients)
      .where(and(eq(scimClients.tenantId, tenantId), eq(scimClients.clientId, clientId)))
      .limit(1)
  )[0];
}

export const revokeClient = (db: Db, tenantId: string, clientId: string, now: string) =>
  db
    .update(scimClients)
    .set({ status: "revoked", revokedAt: now })
    .where(and(eq(scimClients.tenantId, tenantId), eq(scimClients.clientId, clientId), eq(scimClients.status, "active")))
    .returning({ clientId: scimClients.clientId });

export const rotateClientSecret = (db: Db, tenantId: string, clientId: string, secretHash: string, now: string) =>
  db
    .update(scimClients)
    .set({ secretHash, secretRotatedAt: now })
    .where(and(eq(scimClients.tenantId, tenantId), eq(scimClients.clientId, clientId), eq(scimClients.status, "active")))
    .returning({ clientId: scimClients.clientId });

export const insertIssuedToken = (db: Db, row: typeof issuedTokens.$inferInsert) => db.insert(issuedTokens).values(row);

export const listIssuedTokens = (db: Db, tenantId: string, clientId: string) =>
  db
    .select()
    .from(issuedTokens)
    .where(and(eq(issuedTokens.tenantId, tenantId), eq(issuedTokens.clientId, clientId)))
    .orderBy(desc(issuedTokens.issuedAt))
    .limit(200);

export const revokeIssuedToken = (db: Db, tenantId: string, jti: string, now: string) =>
  db
    .update(issuedTokens)
    .set({ revokedAt: now })
    .where(and(eq(issuedTokens.tenantId, tenantId), eq(issuedTokens.jti, jti), sql`${issuedTokens.revokedAt} is null`))
    .returning({ jti: issuedTokens.jti });
