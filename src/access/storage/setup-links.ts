// Setup links: insert, list, revoke (which also ends the portal sessions the link opened) and the
// one-shot consumption that opens a portal session. Callers pass hashes, never secrets.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { derivedRevocations, linkSessionsCreator } from "./credential-cascade";
import type { Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";
import { portalSessions, setupLinks } from "../../platform/schema/tables";
import { runParts } from "../../platform/d1/batch";

export type SetupLinkRow = typeof setupLinks.$inferSelect;

export const insertSetupLink = (db: Db, row: SetupLinkRow) => db.insert(setupLinks).values(row);

export const listSetupLinks = (db: Db, tenantId: string) =>
  db.select().from(setupLinks).where(eq(setupLinks.tenantId, tenantId)).orderBy(desc(setupLinks.createdAt)).limit(200);

/**
 * Revoke a link and end every session it opened, with the API tokens those sessions made (unless
 * kept) and what those made, in one batch. False: no such unrevoked link.
 */
export async function revokeSetupLink(db: Db, tenantId: string, linkId: string, now: string): Promise<boolean> {
  const { revoked } = await runParts(db, {
    revoked: db
      .update(setupLinks)
      .set({ revokedAt: now })
      .where(and(eq(setupLinks.tenantId, tenantId), eq(setupLinks.id, linkId), isNull(setupLinks.revokedAt)))
      .returning({ id: setupLinks.id }),
    sessions: db
      .update(portalSessions)
      .set({ revokedAt: now })
      .where(and(eq(portalSessions.tenantId, tenantId), eq(portalSessions.linkId, linkId), isNull(portalSessions.revokedAt))),
    derived: derivedRevocations(db, tenantId, linkSessionsCreator(tenantId, linkId), now),
  });
  return revoked.length > 0;
}

export interface NewSession {
  id: string;
  tokenHash: string;
  csrfHash: string;
  createdAt: string;
  expiresAt: string;
}

/**
 * Consume a link and open a session in one D1 batch. The UPDATE matches only a link that is unused,
 * unrevoked, unexpired and of an active tenant; the INSERT runs only when that UPDATE changed a
 * row (`changes()`), so a replay or a concurrent second use opens nothing. Null: nothing opened.
 */
export async function consumeSetupLink(db: Db, secretHash: string, session: NewSession): Promise<{ tenantId: string; linkId: string } | null> {
  const now = session.createdAt;
  const { used, opened } = await runParts(db, {
    used: runSql(db, sql`UPDATE setup_links SET used_at = ${now}
      WHERE secret_hash = ${secretHash} AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ${now}
        AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = setup_links.tenant_id AND t.state = 'active')`),
    opened: allSql<{ tenant_id: string; link_id: string }>(db, sql`INSERT INTO portal_sessions (id, tenant_id, link_id, token_hash, csrf_hash, created_at, expires_at)
      SELECT ${session.id}, tenant_id, id, ${session.tokenHash}, ${session.csrfHash}, ${now}, ${session.expiresAt}
      FROM setup_links WHERE secret_hash = ${secretHash} AND changes() = 1
      RETURNING tenant_id, link_id`),
  });
  const changed = used.meta.changes;
  const row = opened[0];
  return changed === 1 && row ? { tenantId: row.tenant_id, linkId: row.link_id } : null;
}

/** The tenant a usable link (unused, unrevoked, unexpired, tenant active) signs in to, without spending it. */
export async function previewSetupLink(db: Db, secretHash: string, now: string): Promise<{ tenantId: string; tenantName: string; expiresAt: string } | null> {
  const [row] = await allSql<{ tenant_id: string; name: string; expires_at: string }>(db, sql`SELECT l.tenant_id, t.name, l.expires_at
    FROM setup_links l JOIN tenants t ON t.id = l.tenant_id AND t.state = 'active'
    WHERE l.secret_hash = ${secretHash} AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > ${now} LIMIT 1`);
  return row ? { tenantId: row.tenant_id, tenantName: row.name, expiresAt: row.expires_at } : null;
}
