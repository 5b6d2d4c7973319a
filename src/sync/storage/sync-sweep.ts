// The SQL of the full-sweep steps: cover the outbox, read what a hub page means for SCIM, find
// mirror rows a sweep did not see, and queue every SCIM resource the hub does not match (keyset
// chunks, each batch naming its results).
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";

const workColumns = sql`(tenant_id, kind, resource_id, member_id, pending, attempts, next_at, parked, created_at, updated_at)`;

/** Everything in the outbox so far is covered by the sweep: move the cursor past it. */
export const sweepStartStatements = (db: Db, tenantId: string, now: string) => [
  runSql(db, sql`INSERT OR IGNORE INTO sync_purge (tenant_id, kind, group_id, created_at)
    SELECT tenant_id, 'group_members', resource_id, ${now} FROM sync_outbox
    WHERE tenant_id = ${tenantId} AND resource_type = 'Group' AND action = 'delete'`),
  runSql(db, sql`UPDATE sync_state SET outbox_seq = coalesce((SELECT max(seq) FROM sync_outbox WHERE tenant_id = ${tenantId}), outbox_seq)
    WHERE tenant_id = ${tenantId}`),
];

/** SCIM users with these ids (a hub page's externalRefs). */
export const scimUsersByIds = (db: Db, tenantId: string, ids: string[]) =>
  allSql<{ id: string; version: number; doc: string }>(db, sql`
    SELECT u.id, u.version, u.doc FROM json_each(${JSON.stringify(ids)}) j
    CROSS JOIN users u ON u.tenant_id = ${tenantId} AND u.id = j.value`);

/** SCIM users the ledger maps these hub ids to (a hub page's users that are ours by hub id). */
export const scimUsersOwningHubIds = (db: Db, tenantId: string, hubIds: string[]) =>
  allSql<{ id: string; version: number; doc: string }>(db, sql`
    SELECT u.id, u.version, u.doc FROM json_each(${JSON.stringify(hubIds)}) j
    CROSS JOIN hub_owned o ON o.tenant_id = ${tenantId} AND o.kind = 'user' AND o.hub_id = j.value
    CROSS JOIN users u ON u.tenant_id = ${tenantId} AND u.id = o.scim_id`);

/** SCIM groups with these ids (a hub page's externalRefs). */
export const scimGroupsByIds = (db: Db, tenantId: string, ids: string[]) =>
  allSql<{ id: string; display_name: string }>(db, sql`
    SELECT g.id, g.display_name FROM json_each(${JSON.stringify(ids)}) j
    CROSS JOIN groups g ON g.tenant_id = ${tenantId} AND g.id = j.value`);

/**
 * Mirror rows this sweep did not see (the hub no longer has them), ≤ limit. An adoption not
 * finished yet is kept: its hub user may have joined the hub after the listing passed it (the
 * next run's first step writes our externalRef, or drops the adoption if the user is gone).
 */
export const unseenHubUsers = (db: Db, tenantId: string, sweepId: string, limit: number) =>
  allSql<{ hub_id: string }>(db, sql`SELECT hub_id FROM hub_users
    WHERE tenant_id = ${tenantId} AND (seen_sweep IS NULL OR seen_sweep <> ${sweepId})
      AND hub_id NOT IN (SELECT o.hub_id FROM hub_owned o WHERE o.tenant_id = ${tenantId} AND o.kind = 'user' AND o.ref_pending = 1 AND o.hub_id IS NOT NULL)
    LIMIT ${limit}`);

export const unseenHubGroups = (db: Db, tenantId: string, sweepId: string, limit: number) =>
  allSql<{ group_id: string }>(db, sql`SELECT group_id FROM hub_groups
    WHERE tenant_id = ${tenantId} AND (seen_sweep IS NULL OR seen_sweep <> ${sweepId}) LIMIT ${limit}`);

/** Mirror groups seen by this sweep after `afterGroupId`, for the member re-read. */
export const sweptGroups = (db: Db, tenantId: string, sweepId: string, afterGroupId: string, limit: number) =>
  allSql<{ group_id: string; hub_id: string; member_count: number }>(db, sql`
    SELECT group_id, hub_id, member_count FROM hub_groups
    WHERE tenant_id = ${tenantId} AND seen_sweep = ${sweepId} AND group_id > ${afterGroupId}
    ORDER BY group_id LIMIT ${limit}`);

/** The named parts of one keyset chunk's batch: the queueing statement, then the chunk's last key. */
function queueChunk(db: Db, queue: ReturnType<typeof runSql>, lastKey: ReturnType<typeof sql>) {
  return { queue, lastKey: allSql<{ id: string | null }>(db, sql`SELECT max(id) AS id FROM ${lastKey}`) };
}

/** The chunk's last key from its `lastKey` result (null: no more chunks). */
export const lastKeyOf = (rows: { id: string | null }[]) => rows[0]?.id ?? null;

/** Queue the SCIM resources of a keyset slice that `matched` (a mirror row in step) does not cover. */
function queueUnmatched(db: Db, tenantId: string, kind: "user" | "group", slice: SQL, matched: SQL, now: string) {
  return queueChunk(db, runSql(db, sql`INSERT INTO sync_work ${workColumns}
      SELECT ${tenantId}, ${kind}, r.id, '', 0, 0, ${now}, 0, ${now}, ${now} FROM ${slice} r
      WHERE NOT EXISTS (${matched})
      ON CONFLICT (tenant_id, kind, resource_id, member_id) DO NOTHING`), slice);
}

/** Queue SCIM users after `afterId` the hub lacks or holds at another version. */
export function queueUnsyncedUsers(db: Db, tenantId: string, afterId: string, limit: number, now: string) {
  const slice = sql`(SELECT id, version FROM users WHERE tenant_id = ${tenantId} AND id > ${afterId} ORDER BY id LIMIT ${limit})`;
  const matched = sql`SELECT 1 FROM hub_users h WHERE h.tenant_id = ${tenantId} AND h.external_ref = r.id AND h.synced_version = r.version`;
  return queueUnmatched(db, tenantId, "user", slice, matched, now);
}

/** Queue SCIM groups after `afterId` the hub lacks or names differently. */
export function queueUnsyncedGroups(db: Db, tenantId: string, afterId: string, limit: number, now: string) {
  const slice = sql`(SELECT id, display_name FROM groups WHERE tenant_id = ${tenantId} AND id > ${afterId} ORDER BY id LIMIT ${limit})`;
  const matched = sql`SELECT 1 FROM hub_groups h WHERE h.tenant_id = ${tenantId} AND h.group_id = r.id AND h.name = r.display_name`;
  return queueUnmatched(db, tenantId, "group", slice, matched, now);
}

/** Queue a whole-membership diff for mapped groups after `afterId`. */
export function queueMembershipDiffs(db: Db, tenantId: string, afterId: string, limit: number, now: string) {
  const slice = sql`(SELECT group_id AS id FROM hub_groups WHERE tenant_id = ${tenantId} AND group_id > ${afterId} ORDER BY group_id LIMIT ${limit})`;
  return queueChunk(db, runSql(db, sql`INSERT INTO sync_work ${workColumns}
      SELECT ${tenantId}, 'groupMembership', s.id, '', 0, 0, ${now}, 0, ${now}, ${now} FROM ${slice} s WHERE true
      ON CONFLICT (tenant_id, kind, resource_id, member_id) DO UPDATE SET cursor = NULL, next_at = excluded.next_at WHERE parked = 0`), slice);
}

/**
 * Items parked for a cause a sweep can see is gone: a hub error, or a userName that no hub user
 * holds any more. Re-queue them (attempts reset) so the sweep's cycle tries them again.
 */
export const requeueCuredParkedStatement = (db: Db, tenantId: string, now: string) =>
  runSql(db, sql`UPDATE sync_work SET parked = 0, attempts = 0, next_at = ${now}, updated_at = ${now}
    WHERE tenant_id = ${tenantId} AND parked = 1 AND (
      last_error LIKE 'server%' OR last_error LIKE 'timeout%' OR last_error LIKE 'network%'
      OR (last_error LIKE '%user_name_taken%' AND (kind = 'user' AND NOT EXISTS (SELECT 1 FROM hub_users h CROSS JOIN users u
        ON u.tenant_id = h.tenant_id AND u.id = sync_work.resource_id
        WHERE h.tenant_id = sync_work.tenant_id AND h.user_name_lc = u.user_name_lc
          AND (h.external_ref IS NULL OR h.external_ref <> u.id)))))`);
