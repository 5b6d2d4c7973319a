// Per-cycle totals of hub operations over a recent window (the console's provisioning chart):
// one row per cycle from the provisioning log, counted by outcome.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql } from "../../platform/d1/raw-sql";

import type { CycleHistory } from "../admin/responses";
export type { CycleHistory };

/** Most cycles one window can return (a 5-minute cron makes 288 a day; "Run now" adds a few). */
export const MAX_HISTORY_CYCLES = 500;

/** Cycles whose operations were logged at or after `since`, oldest first (newest kept when capped). */
export async function cycleHistory(db: Db, tenantId: string, since: string): Promise<CycleHistory[]> {
  const rows = await allSql<{ cycle_id: string; started_at: string; ok: number; failed: number; parked: number }>(db, sql`
    SELECT cycle_id, MIN(at) AS started_at,
      SUM(CASE WHEN result IN ('ok', 'exists', 'alreadyGone') THEN 1 ELSE 0 END) AS ok,
      SUM(CASE WHEN result IN ('failed', 'rateLimited') THEN 1 ELSE 0 END) AS failed,
      SUM(CASE WHEN result = 'parked' THEN 1 ELSE 0 END) AS parked
    FROM sync_log
    WHERE tenant_id = ${tenantId} AND at >= ${since} AND cycle_id IS NOT NULL
    GROUP BY cycle_id ORDER BY started_at DESC, cycle_id DESC LIMIT ${MAX_HISTORY_CYCLES}`);
  return rows.reverse().map((r) => ({ cycleId: r.cycle_id, startedAt: r.started_at, ok: r.ok, failed: r.failed, parked: r.parked }));
}
