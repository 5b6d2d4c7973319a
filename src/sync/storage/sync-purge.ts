// Bounded housekeeping for the sync: membership rows of deleted groups (SCIM group_members beyond
// the 1,000 deleted inline, and mirror hub_members), and outbox rows of tenants without a hub.
// Every statement touches at most PURGE_CHUNK rows (no huge single deletes).
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { runSql, allSql } from "../../platform/d1/raw-sql";
import { runParts } from "../../platform/d1/batch";

export const PURGE_CHUNK = 1000;

/**
 * One purge step for a tenant: up to `groups` queued groups, ≤ PURGE_CHUNK rows each; a queue
 * entry goes when its group has no rows left. One D1 round trip. Returns rows deleted.
 */
export async function purgeStep(db: Db, tenantId: string, groups = 5, chunksPerGroup = 5): Promise<{ deleted: number; more: boolean }> {
  const queue = await allSql<{ kind: "group_members" | "hub_members"; group_id: string }>(db, sql`
    SELECT kind, group_id FROM sync_purge WHERE tenant_id = ${tenantId} ORDER BY created_at LIMIT ${groups + 1}`);
  if (queue.length === 0) return { deleted: 0, more: false };
  const work = queue.slice(0, groups);
  // Per group, in this order: its delete chunks, then the clearing of its queue row, whose
  // changes() condition reads the last chunk's count (a D1 batch runs its statements in order).
  const parts: Record<string, ReturnType<typeof runSql>[]> = {};
  work.forEach((q, i) => {
    const table = q.kind === "group_members" ? sql`group_members` : sql`hub_members`;
    // SCIM rows only while the group is really gone (ids are never reused, but be certain).
    // Mirror rows always: a group re-created in the hub starts empty, and its members diff
    // waits until this purge is through (purgePendingSql).
    const alive = q.kind === "group_members"
      ? sql`EXISTS (SELECT 1 FROM groups WHERE tenant_id = ${tenantId} AND id = ${q.group_id})`
      : sql`0`;
    const chunk = () =>
      runSql(db, sql`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table}
        WHERE tenant_id = ${tenantId} AND group_id = ${q.group_id} LIMIT ${PURGE_CHUNK}) AND NOT ${alive}`);
    parts[`chunks ${i}`] = Array.from({ length: chunksPerGroup }, chunk);
    // changes() is the last chunk's count: fewer than a full chunk means the group is clean.
    parts[`cleared ${i}`] = [runSql(db, sql`DELETE FROM sync_purge WHERE tenant_id = ${tenantId} AND kind = ${q.kind} AND group_id = ${q.group_id}
        AND (changes() < ${PURGE_CHUNK} OR ${alive})`)];
  });
  const results = await runParts(db, parts);
  let deleted = 0;
  let more = queue.length > groups;
  work.forEach((_, i) => {
    for (const r of results[`chunks ${i}`] ?? []) deleted += r.meta.changes ?? 0;
    more ||= (results[`cleared ${i}`] ?? []).some((r) => (r.meta.changes ?? 0) === 0);
  });
  return { deleted, more };
}

/** Is a purge of this group's mirror rows still running? (Its members diff must wait.) */
export const purgePendingSql = (tenantId: string, groupIdColumn: ReturnType<typeof sql>) =>
  sql`EXISTS (SELECT 1 FROM sync_purge p WHERE p.tenant_id = ${tenantId} AND p.kind = 'hub_members' AND p.group_id = ${groupIdColumn})`;

/**
 * Deployment-wide: outbox rows of tenants that never configured a hub would pile up forever.
 * Queue their group deletes for purging, then drop up to PURGE_CHUNK such rows. One round trip.
 */
export async function trimUnsyncedOutbox(db: Db, now: string): Promise<number> {
  const orphan = sql`SELECT o.seq FROM sync_outbox o
    WHERE NOT EXISTS (SELECT 1 FROM sync_state s WHERE s.tenant_id = o.tenant_id) ORDER BY o.seq LIMIT ${PURGE_CHUNK}`;
  const { deleted } = await runParts(db, {
    groupPurges: runSql(db, sql`INSERT OR IGNORE INTO sync_purge (tenant_id, kind, group_id, created_at)
      SELECT o.tenant_id, 'group_members', o.resource_id, ${now} FROM sync_outbox o
      WHERE o.seq IN (${orphan}) AND o.resource_type = 'Group' AND o.action = 'delete'`),
    deleted: runSql(db, sql`DELETE FROM sync_outbox WHERE seq IN (${orphan})`),
  });
  return deleted.meta.changes ?? 0;
}

/** Tenants with purge work, so housekeeping also reaches tenants without a hub. */
export const tenantsWithPurges = (db: Db, limit: number) =>
  allSql<{ tenant_id: string }>(db, sql`SELECT DISTINCT tenant_id FROM sync_purge LIMIT ${limit}`);
