// The local mirror of the hub (hub_users, hub_groups, hub_members): what we know the hub holds,
// in SCIM ids. Diffs run against it in SQL, so an incremental cycle needs no hub reads. Also the
// fallback of the SCIM userName check when the hub itself cannot answer (src/sync/hub/name-check.ts).
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { runSql, allSql } from "../../platform/d1/raw-sql";

export interface HubUserMirror {
  hubId: string;
  externalRef: string | null;
  userNameLc: string;
  syncedVersion: number;
  active: boolean;
  seenSweep?: string | null;
}

export interface HubGroupMirror {
  groupId: string;
  hubId: string;
  name: string;
  memberCount: number;
  seenSweep?: string | null;
}

/**
 * Does a hub user that is not ours (mirrored without externalRef: hub-made, or foreign) hold this
 * userName? One indexed read; refreshed by every full sweep and on user_name_taken answers.
 */
export async function hubOwnsUserName(db: Db, tenantId: string, userNameLc: string): Promise<boolean> {
  const rows = await allSql(db, sql`SELECT 1 FROM hub_users
    WHERE tenant_id = ${tenantId} AND user_name_lc = ${userNameLc} AND external_ref IS NULL LIMIT 1`);
  return rows.length > 0;
}

/**
 * The same check as a batch statement: put it in the SCIM user write batch; when such a user
 * holds the name it fails with "CHECK constraint failed: hub_user_name_taken" and D1 rolls the
 * batch back (map that message to 409 uniqueness in storage/db.ts mapDbError).
 */
export const hubUserNameGuard = (db: Db, tenantId: string, userNameLc: string) =>
  runSql(db, sql`INSERT INTO hub_name_guard (ok) SELECT 0 WHERE EXISTS (SELECT 1 FROM hub_users
    WHERE tenant_id = ${tenantId} AND user_name_lc = ${userNameLc} AND external_ref IS NULL)`);

/**
 * Upsert user mappings; an externalRef maps to one hub user only (the newest wins). The ledger
 * decides what a row maps to: a hub user listed in hub_owned is mirrored as that SCIM user's,
 * whatever externalRef the caller read from the hub (an adoption not finished yet, a ref lost in
 * the hub), and as not in sync (synced_version 0) when the read showed another externalRef, so
 * the users phase writes ours. Read at commit time, so a hub page read before an adoption cannot
 * turn the adopted user back into a foreign name holder.
 */
export function upsertHubUsersStatements(db: Db, tenantId: string, rows: HubUserMirror[]) {
  const json = JSON.stringify(rows.map((r) => ({ ...r, active: r.active ? 1 : 0, seenSweep: r.seenSweep ?? null })));
  const rowsWithLedger = sql`(SELECT j.value AS value, coalesce((SELECT o.scim_id FROM hub_owned o WHERE o.tenant_id = ${tenantId}
      AND o.kind = 'user' AND o.hub_id = json_extract(j.value, '$.hubId') LIMIT 1), json_extract(j.value, '$.externalRef')) AS ref
    FROM json_each(${json}) j)`;
  return [
    runSql(db, sql`DELETE FROM hub_users WHERE tenant_id = ${tenantId}
      AND external_ref IN (SELECT ref FROM ${rowsWithLedger} WHERE ref IS NOT NULL)
      AND hub_id NOT IN (SELECT json_extract(value, '$.hubId') FROM json_each(${json}))`),
    runSql(db, sql`INSERT INTO hub_users (tenant_id, hub_id, external_ref, user_name_lc, synced_version, active, seen_sweep)
      SELECT ${tenantId}, json_extract(r.value, '$.hubId'), r.ref, json_extract(r.value, '$.userNameLc'),
        CASE WHEN r.ref IS json_extract(r.value, '$.externalRef') THEN json_extract(r.value, '$.syncedVersion') ELSE 0 END,
        json_extract(r.value, '$.active'), json_extract(r.value, '$.seenSweep')
      FROM ${rowsWithLedger} r WHERE true
      ON CONFLICT (tenant_id, hub_id) DO UPDATE SET external_ref = excluded.external_ref,
        user_name_lc = excluded.user_name_lc, synced_version = excluded.synced_version, active = excluded.active,
        seen_sweep = coalesce(excluded.seen_sweep, hub_users.seen_sweep)`),
  ];
}

/** Forget hub users (deleted there) and their memberships, by SCIM id or by hub id. */
export function dropHubUsersStatements(db: Db, tenantId: string, by: { refs?: string[]; hubIds?: string[] }) {
  const refs = JSON.stringify(by.refs ?? []);
  const hubIds = JSON.stringify(by.hubIds ?? []);
  return [
    runSql(db, sql`DELETE FROM hub_members WHERE tenant_id = ${tenantId} AND member_id IN (
      SELECT value FROM json_each(${refs})
      UNION SELECT h.external_ref FROM json_each(${hubIds}) j
        CROSS JOIN hub_users h ON h.tenant_id = ${tenantId} AND h.hub_id = j.value WHERE h.external_ref IS NOT NULL)`),
    runSql(db, sql`DELETE FROM hub_users WHERE tenant_id = ${tenantId}
      AND (external_ref IN (SELECT value FROM json_each(${refs})) OR hub_id IN (SELECT value FROM json_each(${hubIds})))`),
  ];
}

export const upsertHubGroupsStatement = (db: Db, tenantId: string, rows: HubGroupMirror[]) =>
  runSql(db, sql`INSERT INTO hub_groups (tenant_id, group_id, hub_id, name, member_count, seen_sweep)
    SELECT ${tenantId}, json_extract(j.value, '$.groupId'), json_extract(j.value, '$.hubId'), json_extract(j.value, '$.name'),
      json_extract(j.value, '$.memberCount'), json_extract(j.value, '$.seenSweep')
    FROM json_each(${JSON.stringify(rows.map((r) => ({ ...r, seenSweep: r.seenSweep ?? null })))}) j WHERE true
    ON CONFLICT (tenant_id, group_id) DO UPDATE SET hub_id = excluded.hub_id, name = excluded.name,
      member_count = excluded.member_count, seen_sweep = coalesce(excluded.seen_sweep, hub_groups.seen_sweep)`);

/**
 * Forget groups: the mapping goes now, their membership mirror rows via the purge queue (a
 * 100k-member group is more than one statement may delete). The members diff waits for it.
 */
export function dropHubGroupsStatements(db: Db, tenantId: string, groupIds: string[], now: string) {
  const ids = JSON.stringify(groupIds);
  return [
    runSql(db, sql`DELETE FROM hub_groups WHERE tenant_id = ${tenantId} AND group_id IN (SELECT value FROM json_each(${ids}))`),
    runSql(db, sql`INSERT OR IGNORE INTO sync_purge (tenant_id, kind, group_id, created_at)
      SELECT ${tenantId}, 'hub_members', value, ${now} FROM json_each(${ids}) WHERE true`),
  ];
}

/**
 * Memberships we just put in the hub. `seenSweep`: the sweep in progress (a side run works while
 * it is paused): the rows count as seen by it, so its stale cleanup of the group keeps them.
 */
export const insertHubMembersStatement = (db: Db, tenantId: string, groupId: string, memberIds: string[], seenSweep: string | null = null) =>
  runSql(db, sql`INSERT INTO hub_members (tenant_id, group_id, member_id, seen_sweep)
    SELECT ${tenantId}, ${groupId}, value, ${seenSweep} FROM json_each(${JSON.stringify(memberIds)}) WHERE true
    ON CONFLICT (tenant_id, group_id, member_id) DO UPDATE SET seen_sweep = coalesce(excluded.seen_sweep, hub_members.seen_sweep)`);

export const deleteHubMembersStatement = (db: Db, tenantId: string, groupId: string, memberIds: string[]) =>
  runSql(db, sql`DELETE FROM hub_members WHERE tenant_id = ${tenantId} AND group_id = ${groupId}
    AND member_id IN (SELECT value FROM json_each(${JSON.stringify(memberIds)}))`);

/** Sweep: record a page of hub members (hub user ids), mapped to SCIM ids in SQL; users that are not ours are skipped. */
export const sweepHubMembersStatement = (db: Db, tenantId: string, groupId: string, hubUserIds: string[], sweepId: string) =>
  runSql(db, sql`INSERT INTO hub_members (tenant_id, group_id, member_id, seen_sweep)
    SELECT ${tenantId}, ${groupId}, h.external_ref, ${sweepId}
    FROM json_each(${JSON.stringify(hubUserIds)}) j
    CROSS JOIN hub_users h ON h.tenant_id = ${tenantId} AND h.hub_id = j.value
    WHERE h.external_ref IS NOT NULL
    ON CONFLICT (tenant_id, group_id, member_id) DO UPDATE SET seen_sweep = excluded.seen_sweep`);

/** Sweep: mirror rows of a group the hub no longer lists (bounded). */
export const deleteStaleHubMembersStatement = (db: Db, tenantId: string, groupId: string, sweepId: string, limit: number) =>
  runSql(db, sql`DELETE FROM hub_members WHERE rowid IN (SELECT rowid FROM hub_members
    WHERE tenant_id = ${tenantId} AND group_id = ${groupId} AND (seen_sweep IS NULL OR seen_sweep <> ${sweepId}) LIMIT ${limit})`);
