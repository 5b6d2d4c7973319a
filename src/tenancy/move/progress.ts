// A move's copy cursor. It lives on the destination (tenant_moving.progress, role "destination")
// and advances in the same batch as the rows it accounts for, behind a guard that rolls the batch
// back when the cursor is no longer the one this step read: a chunk is never written twice, even
// when two invocations (the cron and the admin route's waitUntil) advance the same move at once.
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { abortUnlessChanged, VersionConflict, type Db } from "../../platform/d1/db";
import { runSql } from "../../platform/d1/raw-sql";
import { constraintOf, runParts } from "../../platform/d1/batch";
import { tenantMoving } from "../../platform/schema/tables";

export interface Progress {
  /** Index into MOVED_TABLES of the table being copied (= its length: the copy is through). */
  table: number;
  /** The last key copied in that table (null: none yet). */
  after: unknown[] | null;
  /** Per appended table, the last source key copied: rows past it are still to go. */
  tails: Record<string, number>;
  /** The last source journal seq replayed. */
  journal: number;
  copied: number;
  replayed: number;
}

export const START: Progress = { table: 0, after: null, tails: {}, journal: 0, copied: 0, replayed: 0 };

export const parseProgress = (text: string | null | undefined): Progress =>
  text ? { ...START, ...(JSON.parse(text) as Partial<Progress>) } : { ...START };

/** The destination's cursor for this move (undefined: the destination holds no copy of it). */
export async function readProgress(dest: Db, tenantId: string, moveId: string): Promise<Progress | undefined> {
  const rows = await dest
    .select({ progress: tenantMoving.progress })
    .from(tenantMoving)
    .where(and(eq(tenantMoving.tenantId, tenantId), eq(tenantMoving.moveId, moveId), eq(tenantMoving.role, "destination")))
    .limit(1);
  return rows[0] ? parseProgress(rows[0].progress) : undefined;
}

/** The head of a destination batch: move the cursor from `from` to `to`, or roll everything back. */
export const advanceStatements = (dest: Db, tenantId: string, moveId: string, from: Progress, to: Progress, now: string) =>
  [
    runSql(dest, sql`UPDATE tenant_moving SET progress = ${JSON.stringify(to)}, updated_at = ${now}
      WHERE tenant_id = ${tenantId} AND move_id = ${moveId} AND role = 'destination' AND progress = ${JSON.stringify(from)}`),
    abortUnlessChanged(dest),
  ] as const;

/**
 * Run a destination batch headed by advanceStatements. Only its guard is mapped (VersionConflict:
 * another invocation moved the cursor); any other failure keeps D1's own message for the move's
 * `error`, not a SCIM client's wording.
 */
export async function destinationBatch(dest: Db, statements: BatchItem<"sqlite">[]): Promise<void> {
  try {
    await runParts(dest, { statements });
  } catch (err) {
    if (constraintOf(err) === "version_guard") throw new VersionConflict();
    throw err;
  }
}
