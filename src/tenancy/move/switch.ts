// The final switch of a move, once the copy is through and the journal nearly caught up. The
// source gate is already "switching" (every write of the tenant there is refused with 503), so
// nothing new can appear: replay the rest of the journal, copy the appended rows written since
// their table was copied, fix the destination's sync checkpoint, then flip the placement.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { placementOf, setPlacement } from "../storage/placement";
import { allSql, runSql } from "../../platform/d1/raw-sql";
import { copyTailStep, type MoveDbs } from "./copy";
import { replayStep } from "./journal";
import { closeGate, updateMove } from "./moves";
import type { Progress } from "./progress";

export type Spend = () => boolean;

/**
 * Replay and tail-copy until nothing is left; false when the budget ran out first. Each step that
 * moved rows spends one unit; the final empty reads that prove the drain complete spend none.
 */
export async function drain(dbs: MoveDbs, progress: Progress, now: () => string, spend: Spend, left: () => boolean): Promise<{ progress: Progress; done: boolean }> {
  let at = progress;
  while (left()) {
    const replayed = await replayStep(dbs, at, now());
    at = replayed.progress;
    if (replayed.entries > 0) {
      spend();
      continue;
    }
    const tail = await copyTailStep(dbs, at, now());
    at = tail.progress;
    if (tail.rows === 0) return { progress: at, done: true };
    spend();
  }
  return { progress: at, done: false };
}

/**
 * The destination's sync checkpoint (sync_state.outbox_seq) names a source outbox seq; the copied
 * rows were numbered anew. The rows past it on the source (still to sync) are the last ones on the
 * destination, so the new checkpoint is the destination seq just before them. The lease goes too.
 */
export async function fixSyncCheckpoint(dbs: MoveDbs): Promise<void> {
  const { source, dest, tenantId } = dbs;
  const [state] = await allSql<{ pending: number }>(source, sql`SELECT
    (SELECT count(*) FROM sync_outbox o WHERE o.tenant_id = s.tenant_id AND o.seq > s.outbox_seq) AS pending
    FROM sync_state s WHERE s.tenant_id = ${tenantId}`);
  if (!state) return;
  await runSql(dest, sql`UPDATE sync_state SET lease_id = NULL, lease_until = NULL, outbox_seq = coalesce(
      (SELECT seq FROM sync_outbox WHERE tenant_id = ${tenantId} ORDER BY seq DESC LIMIT 1 OFFSET ${state.pending}), 0)
    WHERE tenant_id = ${tenantId}`);
}

/** Flip the placement (the moment the tenant lives on the destination), then open its sync there. */
export async function flip(directory: Db, dbs: MoveDbs, moveId: string, destination: string, now: string): Promise<void> {
  if ((await placementOf(directory, dbs.tenantId)) !== destination) {
    await directory.batch([
      setPlacement(directory, dbs.tenantId, destination, now),
      updateMove(directory, moveId, "switching", { state: "purging", updatedAt: now }),
    ]);
  } else {
    await updateMove(directory, moveId, "switching", { state: "purging", updatedAt: now });
  }
  await afterFlip(dbs, now);
}

/**
 * Idempotent: the source's gate says "moved" and the source's tenants row goes first of all its
 * rows (with the clients that refer to it): a request whose token still names the source then
 * finds no tenant there, and the token gate follows the placement to the destination
 * (src/access/storage/tenant-shard.ts) instead of reading a stale copy. Then the destination's gate goes
 * (its sync may run, and the token gate takes it for the live placement). In that order no moment
 * has two shards answering for the tenant; in between, requests get a 503 to retry.
 */
export async function afterFlip(dbs: MoveDbs, now: string): Promise<void> {
  const { source, tenantId, moveId } = dbs;
  const gate = (state: string) =>
    runSql(source, sql`UPDATE tenant_moving SET state = ${state}, updated_at = ${now} WHERE tenant_id = ${tenantId} AND move_id = ${moveId} AND role = 'source'`);
  await source.batch([
    gate("purging"),
    runSql(source, sql`DELETE FROM scim_clients WHERE tenant_id = ${tenantId}`),
    runSql(source, sql`DELETE FROM tenants WHERE id = ${tenantId}`),
    gate("moved"),
  ]);
  await closeGate(dbs.dest, dbs.tenantId, dbs.moveId);
}
