// Portal sessions: the live session behind a cookie (by token hash), and sign-out. Sessions are
// opened only by consuming a setup link (setup-links.ts).
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { portalSessions, tenants } from "../../platform/schema/tables";

export interface LiveSession {
  id: string;
  tenantId: string;
  tenantName: string;
  expiresAt: string;
}

/** The session whose token hashes to `tokenHash`, if unrevoked, unexpired and its tenant active. */
export async function findLiveSession(db: Db, tokenHash: string, now: string): Promise<LiveSession | undefined> {
  const rows = await db
    .select({ id: portalSessions.id, tenantId: portalSessions.tenantId, tenantName: tenants.name, expiresAt: portalSessions.expiresAt })
    .from(portalSessions)
    .innerJoin(tenants, and(eq(tenants.id, portalSessions.tenantId), eq(tenants.state, "active")))
    .where(and(eq(portalSessions.tokenHash, tokenHash), isNull(portalSessions.revokedAt), gt(portalSessions.expiresAt, now)))
    .limit(1);
  return rows[0];
}

export const endSession = (db: Db, id: string, now: string) =>
  db.update(portalSessions).set({ revokedAt: now }).where(and(eq(portalSessions.id, id), isNull(portalSessions.revokedAt)));
