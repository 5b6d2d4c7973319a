// The provisioning log: one row per hub operation (time, action, SCIM id, hub id, result, error),
// written in the same batch as the outcome it describes, read by cursor, pruned in bounded chunks.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { runSql, allSql } from "../../platform/d1/raw-sql";

import type { LogEntry, LogResult, LogRow } from "../admin/responses";
export type { LogEntry, LogResult, LogRow };

export function insertLogStatement(db: Db, tenantId: string, cycleId: string | null, at: string, entries: LogEntry[]) {
  const json = JSON.stringify(
    entries.map((e) => ({ a: e.action, s: e.scimId ?? null, h: e.hubId ?? null, r: e.result, c: e.count ?? null, e: e.error?.slice(0, 500) ?? null })),
  );
  return runSql(db, sql`INSERT INTO sync_log (tenant_id, at, cycle_id, action, scim_id, hub_id, result, count, error)
    SELECT ${tenantId}, ${at}, ${cycleId}, json_extract(value, '$.a'), json_extract(value, '$.s'), json_extract(value, '$.h'),
      json_extract(value, '$.r'), json_extract(value, '$.c'), json_extract(value, '$.e')
    FROM json_each(${json})`);
}

/** Newest first; `beforeId` is the cursor (the last id of the previous page). */
export async function listLog(db: Db, tenantId: string, beforeId: number | null, limit: number): Promise<LogRow[]> {
  const rows = await allSql<{ id: number; at: string; cycle_id: string | null; action: string; scim_id: string | null; hub_id: string | null; result: LogResult; count: number | null; error: string | null }>(db, sql`
    SELECT id, at, cycle_id, action, scim_id, hub_id, result, count, error FROM sync_log
    WHERE tenant_id = ${tenantId} ${beforeId === null ? sql`` : sql`AND id < ${beforeId}`}
    ORDER BY id DESC LIMIT ${limit}`);
  return rows.map((r) => ({
    id: r.id, at: r.at, cycleId: r.cycle_id, action: r.action, scimId: r.scim_id, hubId: r.hub_id,
    result: r.result, count: r.count, error: r.error,
  }));
}

/** Delete up to `limit` entries older than `before`; returns how many went. */
export async function pruneLog(db: Db, tenantId: string, before: string, limit: number): Promise<number> {
  const res = await runSql(db, sql`DELETE FROM sync_log WHERE id IN (
    SELECT id FROM sync_log WHERE tenant_id = ${tenantId} AND at < ${before} ORDER BY at LIMIT ${limit})`);
  return res.meta.changes ?? 0;
}
