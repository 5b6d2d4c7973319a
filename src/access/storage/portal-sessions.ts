// Portal sessions: the live session behind a cookie (by token hash), and sign-out. Sessions are
// opened only by consuming a setup link (setup-links.ts).
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { derivedRevocations, sessionCreator } from "./credential-cascade";
import type { Db } from "../../platform/d1/db";
import { portalSessions, tenants } from "../../platform/schema/tables";
import { runParts } from "../../platform/d1/batch";

export interface LiveSession {
  id: string;
  tenantId: string;
  tenantName: string;
  expiresAt: string;
  /** SHA-256 of its CSRF token; null for a session opened before migration 0015. */
  csrfHash: string | null;
}

/** The session whose token hashes to `tokenHash`, if unrevoked, unexpired and its tenant active. */
export async function findLiveSession(db: Db, tokenHash: string, now: string): Promise<LiveSession | undefined> {
  const rows = await db
    .select({ id: portalSessions.id, tenantId: portalSessions.tenantId, tenantName: tenants.name, expiresAt: portalSessions.expiresAt, csrfHash: portalSessions.csrfHash })
    .from(portalSessions)
    .innerJoin(tenants, and(eq(tenants.id, portalSessions.tenantId), eq(tenants.state, "active")))
    .where(and(eq(portalSessions.tokenHash, tokenHash), isNull(portalSessions.revokedAt), gt(portalSessions.expiresAt, now)))
    .limit(1);
  return rows[0];
}

/**
 * End a session (sign-out, or the operator) and, in the same batch, the API tokens it made that
 * were not kept, with what those made. False: no such live-or-expired unrevoked session.
 */
export async function endSession(db: Db, tenantId: string, id: string, now: string): Promise<boolean> {
  const { ended } = await runParts(db, {
    ended: db.update(portalSessions).set({ revokedAt: now })
      .where(and(eq(portalSessions.tenantId, tenantId), eq(portalSessions.id, id), isNull(portalSessions.revokedAt)))
      .returning({ id: portalSessions.id }),
    derived: derivedRevocations(db, tenantId, sessionCreator(id), now),
  });
  return ended.length > 0;
}

/** A tenant's portal sessions, newest first (at most 200), for the operator. */
export const listPortalSessions = (db: Db, tenantId: string) =>
  db.select({
    id: portalSessions.id,
    linkId: portalSessions.linkId,
    createdAt: portalSessions.createdAt,
    expiresAt: portalSessions.expiresAt,
    revokedAt: portalSessions.revokedAt,
  }).from(portalSessions).where(eq(portalSessions.tenantId, tenantId)).orderBy(desc(portalSessions.createdAt)).limit(200);
