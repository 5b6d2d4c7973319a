// The sync work queue (sync_work): outbox ingestion, enqueueing, due-item reads and outcome
// statements (done / failed with backoff / parked / pending). Writes are batch items; the caller
// commits them together with the mirror changes and the cycle checkpoint.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { runSql, allSql } from "../../platform/d1/raw-sql";

import type { ParkedItem, WorkKind } from "../admin/responses";
export type { WorkKind };

/** An operation that keeps failing is parked after this many attempts (never retried forever). */
export const MAX_ATTEMPTS = 5;
/** Backoff before attempt n+1: 60 s · 2^(n-1), capped at one hour. */
export const BACKOFF_BASE_S = 60;

export interface WorkFailure {
  id: number;
  error: string;
  /** Park now: retrying the same request cannot succeed (a 409 or 400 from the hub). */
  park: boolean;
}

const newRow = (tenantId: string, now: string) => sql`${tenantId}, 0, 0, ${now}, 0, ${now}, ${now}`;

/**
 * Move up to `limit` outbox rows past the tenant's cursor into the work queue, advance the cursor and drop
 * the consumed rows, all in one batch. A new SCIM change un-parks and resets its item.
 */
export function ingestOutbox(db: Db, tenantId: string, limit: number, now: string) {
  const cursor = sql`(SELECT outbox_seq FROM sync_state WHERE tenant_id = ${tenantId})`;
  const page = sql`(SELECT * FROM sync_outbox WHERE tenant_id = ${tenantId} AND seq > ${cursor} ORDER BY seq LIMIT ${limit})`;
  const reset = sql`ON CONFLICT (tenant_id, kind, resource_id, member_id) DO UPDATE SET
    attempts = 0, parked = 0, pending = 0, last_error = NULL, next_at = excluded.next_at, updated_at = excluded.updated_at`;
  const cols = sql`(resource_id, kind, member_id, tenant_id, pending, attempts, next_at, parked, created_at, updated_at)`;
  const writes = [
    runSql(db, sql`INSERT INTO sync_work ${cols}
      SELECT o.resource_id, lower(o.resource_type), '', ${newRow(tenantId, now)} FROM ${page} o
      WHERE o.action IN ('upsert', 'delete') ${reset}`),
    // Whole-membership changes (PUT, remove-all, > 1,000 ids) restart the group's keyset diff.
    runSql(db, sql`INSERT INTO sync_work ${cols}
      SELECT o.resource_id, 'groupMembership', '', ${newRow(tenantId, now)} FROM ${page} o
      WHERE o.action = 'members' AND json_extract(o.payload, '$.all') ${reset}, cursor = NULL`),
    runSql(db, sql`INSERT INTO sync_work ${cols}
      SELECT o.resource_id, 'membership', j.value, ${newRow(tenantId, now)} FROM ${page} o, json_each(o.payload, '$.ids') j
      WHERE o.action = 'members' AND NOT coalesce(json_extract(o.payload, '$.all'), 0) ${reset}`),
    // A deleted group's remaining member rows are purged in chunks (storage/groups.ts removes 1,000).
    runSql(db, sql`INSERT OR IGNORE INTO sync_purge (tenant_id, kind, group_id, created_at)
      SELECT ${tenantId}, 'group_members', o.resource_id, ${now} FROM ${page} o
      WHERE o.resource_type = 'Group' AND o.action = 'delete'`),
    runSql(db, sql`UPDATE sync_state SET outbox_seq = coalesce((SELECT max(seq) FROM ${page}), outbox_seq)
      WHERE tenant_id = ${tenantId}`),
    // Consumed rows go; so do rows a sweep skipped (seq ≤ cursor), a bounded number per call.
    runSql(db, sql`DELETE FROM sync_outbox WHERE seq IN (SELECT seq FROM sync_outbox WHERE tenant_id = ${tenantId}
      AND seq <= ${cursor} ORDER BY seq LIMIT ${limit + 1000})`),
  ];
  /** After the writes: the new cursor, and whether the outbox holds more rows past it. */
  const progress = allSql<{ seq: number; more: number }>(db, sql`SELECT outbox_seq AS seq,
      EXISTS (SELECT 1 FROM sync_outbox o WHERE o.tenant_id = ${tenantId} AND o.seq > s.outbox_seq) AS more
      FROM sync_state s WHERE s.tenant_id = ${tenantId}`);
  return { writes, progress };
}

/** From the `progress` result: does the outbox hold more rows past the new cursor? */
export const outboxHasMore = (rows: { more: number }[]) => (rows[0]?.more ?? 0) === 1;

/** Enqueue (or refresh) items; `restart` also clears a members item's keyset cursor. */
export function enqueueStatement(db: Db, tenantId: string, kind: WorkKind, resourceIds: string[], now: string, opts: { memberId?: string; restart?: boolean; pending?: boolean } = {}) {
  const memberId = opts.memberId ?? "";
  const onConflict = opts.restart
    ? sql`DO UPDATE SET next_at = excluded.next_at, cursor = NULL, updated_at = excluded.updated_at WHERE parked = 0`
    : sql`DO NOTHING`;
  return runSql(db, sql`INSERT INTO sync_work (tenant_id, kind, resource_id, member_id, pending, attempts, next_at, parked, created_at, updated_at)
    SELECT ${tenantId}, ${kind}, j.value, ${memberId}, ${opts.pending ? 1 : 0}, 0, ${now}, 0, ${now}, ${now}
    FROM json_each(${JSON.stringify(resourceIds)}) j WHERE true
    ON CONFLICT (tenant_id, kind, resource_id, member_id) ${onConflict}`);
}

/** Pending member items (group, user): kept until the user has a hub id. */
export const pendingMembersStatement = (db: Db, tenantId: string, pairs: { groupId: string; memberId: string }[], now: string) =>
  runSql(db, sql`INSERT INTO sync_work (tenant_id, kind, resource_id, member_id, pending, attempts, next_at, parked, created_at, updated_at)
    SELECT ${tenantId}, 'membership', json_extract(j.value, '$.groupId'), json_extract(j.value, '$.memberId'), 1, 0, ${now}, 0, ${now}, ${now}
    FROM json_each(${JSON.stringify(pairs)}) j WHERE true
    ON CONFLICT (tenant_id, kind, resource_id, member_id) DO UPDATE SET pending = 1, updated_at = excluded.updated_at`);

export const workDoneStatement = (db: Db, ids: number[]) =>
  runSql(db, sql`DELETE FROM sync_work WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);

export const markPendingStatement = (db: Db, ids: number[], now: string) =>
  runSql(db, sql`UPDATE sync_work SET pending = 1, updated_at = ${now} WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);

/** Try again now, without counting an attempt (e.g. the hub lost the resource: recreate it). */
export const retryNowStatement = (db: Db, ids: number[], now: string) =>
  runSql(db, sql`UPDATE sync_work SET next_at = ${now}, updated_at = ${now} WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);

/** Count an attempt: back off exponentially, park at MAX_ATTEMPTS or when the failure says so. */
export function workFailedStatement(db: Db, failures: WorkFailure[], now: string) {
  const items = JSON.stringify(failures.map((f) => ({ id: f.id, error: f.error.slice(0, 500), park: f.park ? 1 : 0 })));
  return runSql(db, sql`UPDATE sync_work SET
      attempts = sync_work.attempts + 1,
      last_error = f.error,
      parked = CASE WHEN f.park = 1 OR sync_work.attempts + 1 >= ${MAX_ATTEMPTS} THEN 1 ELSE 0 END,
      next_at = strftime('%Y-%m-%dT%H:%M:%fZ', ${now},
        '+' || min(${BACKOFF_BASE_S} * (1 << sync_work.attempts), 3600) || ' seconds'),
      updated_at = ${now}
    FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.error') AS error, json_extract(value, '$.park') AS park
          FROM json_each(${items})) AS f
    WHERE sync_work.id = f.id`);
}

export const setCursorStatement = (db: Db, id: number, cursor: Record<string, unknown>, now: string) =>
  runSql(db, sql`UPDATE sync_work SET cursor = ${JSON.stringify(cursor)}, next_at = ${now}, updated_at = ${now} WHERE id = ${id}`);

/**
 * "Run now" after an outage: items backing off only because the hub was unavailable are due at
 * once (their attempts still count); parked items and other failures keep their schedule.
 */
export async function retryUnavailableNow(db: Db, tenantId: string, now: string): Promise<number> {
  const res = await runSql(db, sql`UPDATE sync_work SET next_at = ${now}, updated_at = ${now}
    WHERE tenant_id = ${tenantId} AND parked = 0 AND next_at > ${now}
      AND (last_error LIKE 'server%' OR last_error LIKE 'timeout%' OR last_error LIKE 'network%')`);
  return res.meta.changes ?? 0;
}

export type { ParkedItem };

export async function listParked(db: Db, tenantId: string, afterId: number, limit: number): Promise<ParkedItem[]> {
  const rows = await allSql<{ id: number; kind: WorkKind; resource_id: string; member_id: string; attempts: number; last_error: string | null; updated_at: string }>(db, sql`
    SELECT id, kind, resource_id, member_id, attempts, last_error, updated_at FROM sync_work
    WHERE tenant_id = ${tenantId} AND parked = 1 AND id > ${afterId} ORDER BY id LIMIT ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    resourceId: r.resource_id,
    memberId: r.member_id || null,
    attempts: r.attempts,
    lastError: r.last_error,
    updatedAt: r.updated_at,
  }));
}

/** Un-park one item (or all when id is undefined, bounded); returns how many were released. */
export async function retryParked(db: Db, tenantId: string, id: number | undefined, now: string): Promise<number> {
  const which = id === undefined
    ? sql`id IN (SELECT id FROM sync_work WHERE tenant_id = ${tenantId} AND parked = 1 LIMIT 1000)`
    : sql`id = ${id} AND parked = 1`;
  const res = await runSql(db, sql`UPDATE sync_work SET parked = 0, attempts = 0, next_at = ${now}, updated_at = ${now}
    WHERE tenant_id = ${tenantId} AND ${which}`);
  return res.meta.changes ?? 0;
}

export async function workCounts(db: Db, tenantId: string): Promise<{ parked: number; pending: number; queued: number }> {
  const rows = await allSql<{ parked: number; pending: number; queued: number }>(db, sql`
    SELECT coalesce(sum(parked), 0) AS parked,
      coalesce(sum(CASE WHEN parked = 0 AND pending = 1 THEN 1 ELSE 0 END), 0) AS pending,
      coalesce(sum(CASE WHEN parked = 0 AND pending = 0 THEN 1 ELSE 0 END), 0) AS queued
    FROM sync_work WHERE tenant_id = ${tenantId}`);
  return rows[0] ?? { parked: 0, pending: 0, queued: 0 };
}

/** Unparked, non-pending items per kind (what each work phase still has to do). */
export async function queuedByKind(db: Db, tenantId: string): Promise<Partial<Record<WorkKind, number>>> {
  const rows = await allSql<{ kind: WorkKind; n: number }>(db, sql`
    SELECT kind, count(*) AS n FROM sync_work WHERE tenant_id = ${tenantId} AND parked = 0 AND pending = 0 GROUP BY kind`);
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}
