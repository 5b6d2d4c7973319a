// The directory's record of tenant moves (tenant_moves) and the gate rows a move puts on its two
// shards (tenant_moving). All statements here; the state machine is in advance.ts.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { runSql } from "../../platform/d1/raw-sql";
import { tenantMoves, tenantMoving, type MoveState } from "../../platform/schema/tables";
import { START } from "./progress";

export type MoveRow = typeof tenantMoves.$inferSelect;

/** States in which a move still has work to do (the cron advances them). */
export const ACTIVE_STATES: MoveState[] = ["copying", "switching", "purging", "cancelling"];

/** The tenant's latest move (active or not). */
export async function latestMove(directory: Db, tenantId: string): Promise<MoveRow | undefined> {
  const rows = await directory.select().from(tenantMoves).where(eq(tenantMoves.tenantId, tenantId))
    .orderBy(desc(tenantMoves.startedAt)).limit(1);
  return rows[0];
}

export async function findMove(directory: Db, id: string): Promise<MoveRow | undefined> {
  return (await directory.select().from(tenantMoves).where(eq(tenantMoves.id, id)).limit(1))[0];
}

/** Active moves, least recently advanced first (bounded: the cron takes a few per tick). */
export const activeMoves = (directory: Db, limit: number) =>
  directory.select().from(tenantMoves).where(inArray(tenantMoves.state, ACTIVE_STATES))
    .orderBy(tenantMoves.updatedAt).limit(limit);

/** A new move row; the partial unique index refuses a second active move of the tenant. */
export const insertMove = (directory: Db, row: Pick<MoveRow, "id" | "tenantId" | "source" | "destination" | "startedAt">) =>
  directory.insert(tenantMoves).values({ ...row, state: "copying", updatedAt: row.startedAt, progress: JSON.stringify(START) });

/** Change a move's state and figures, only from the state the caller saw (no lost transitions). */
export const updateMove = (directory: Db, id: string, from: MoveState, set: Partial<Omit<MoveRow, "id">>) =>
  directory.update(tenantMoves).set(set).where(and(eq(tenantMoves.id, id), eq(tenantMoves.state, from))).returning({ id: tenantMoves.id });

/** Record an error on the move without changing its state (the next tick retries). */
export const noteMoveError = (directory: Db, id: string, error: string | null, now: string) =>
  directory.update(tenantMoves).set({ error: error?.slice(0, 500) ?? null, updatedAt: now }).where(eq(tenantMoves.id, id));

/** The source's gate row: from here on the triggers journal the tenant's writes. */
export const openSourceGate = (source: Db, tenantId: string, moveId: string, now: string) =>
  runSql(source, sql`INSERT INTO tenant_moving (tenant_id, move_id, role, state, updated_at)
    VALUES (${tenantId}, ${moveId}, 'source', 'copying', ${now}) ON CONFLICT (tenant_id) DO NOTHING`);

/** The destination's gate row, holding the copy cursor; the tenant's sync stays off there while it exists. */
export const openDestinationGate = (dest: Db, tenantId: string, moveId: string, now: string) =>
  runSql(dest, sql`INSERT INTO tenant_moving (tenant_id, move_id, role, state, progress, updated_at)
    VALUES (${tenantId}, ${moveId}, 'destination', 'incoming', ${JSON.stringify(START)}, ${now}) ON CONFLICT (tenant_id) DO NOTHING`);

/**
 * Close the source to the tenant's writes; only from copying (a late invocation cannot reopen a
 * switch), and only while no sync run holds the tenant's lease. A run writes on the source between
 * its Device Hub calls; the switch would refuse those writes and lose the record of what the run
 * did in the hub. takeLease refuses a lease once the state is switching, and D1 runs one statement
 * at a time, so either the run or the switch goes first, never both.
 */
export const startSwitch = (source: Db, tenantId: string, moveId: string, now: string) =>
  runSql(source, sql`UPDATE tenant_moving SET state = 'switching', updated_at = ${now}
    WHERE tenant_id = ${tenantId} AND move_id = ${moveId} AND role = 'source' AND state = 'copying'
      AND NOT EXISTS (SELECT 1 FROM sync_state s WHERE s.tenant_id = ${tenantId} AND s.lease_until > ${now})`);

export const closeGate = (db: Db, tenantId: string, moveId: string) =>
  db.delete(tenantMoving).where(and(eq(tenantMoving.tenantId, tenantId), eq(tenantMoving.moveId, moveId)));

/** Which move, if any, holds the tenant on this shard (a second move waits for the first). */
export async function gateOf(db: Db, tenantId: string) {
  return (await db.select().from(tenantMoving).where(eq(tenantMoving.tenantId, tenantId)).limit(1))[0];
}

/** Drop up to `limit` journal rows of the tenant (after the move or its cancellation). */
export const dropJournal = (db: Db, tenantId: string, limit: number) =>
  runSql(db, sql`DELETE FROM tenant_move_journal WHERE seq IN
    (SELECT seq FROM tenant_move_journal WHERE tenant_id = ${tenantId} ORDER BY seq LIMIT ${limit})`);
