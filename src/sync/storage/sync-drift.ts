// The SQL of the drift report (src/sync/admin/drift.ts): the report itself (sync_state.drift, written
// only while it is the current one), marks on the mirror rows the live hub walk saw, and the keyset
// reads that find what SCIM has and the hub lacks, what SCIM users a foreign hub user's name
// blocks, each group's members by identity (marks on the SCIM memberships the live hub group lists),
// and the parked items.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";

export async function readDrift(db: Db, tenantId: string): Promise<unknown> {
  const rows = await allSql<{ drift: string | null }>(db, sql`SELECT drift FROM sync_state WHERE tenant_id = ${tenantId}`);
  const raw = rows[0]?.drift;
  return raw ? (JSON.parse(raw) as unknown) : null;
}

/** Start a report (replacing the last one); false when the tenant has no sync state. */
export async function startDrift(db: Db, tenantId: string, report: { id: string }): Promise<boolean> {
  const res = await runSql(db, sql`UPDATE sync_state SET drift = ${JSON.stringify(report)} WHERE tenant_id = ${tenantId}`);
  return (res.meta.changes ?? 0) > 0;
}

/** Save the report, only while it is still the current one (a newer request supersedes it). */
export const saveDriftStatement = (db: Db, tenantId: string, report: { id: string }) =>
  runSql(db, sql`UPDATE sync_state SET drift = ${JSON.stringify(report)}
    WHERE tenant_id = ${tenantId} AND json_extract(drift, '$.id') = ${report.id}`);

export const markUsersSeenStatement = (db: Db, tenantId: string, reportId: string, hubIds: string[]) =>
  runSql(db, sql`UPDATE hub_users SET drift_seen = ${reportId}
    WHERE tenant_id = ${tenantId} AND hub_id IN (SELECT value FROM json_each(${JSON.stringify(hubIds)}))`);

export const markGroupsSeenStatement = (db: Db, tenantId: string, reportId: string, hubIds: string[]) =>
  runSql(db, sql`UPDATE hub_groups SET drift_seen = ${reportId}
    WHERE tenant_id = ${tenantId} AND hub_id IN (SELECT value FROM json_each(${JSON.stringify(hubIds)}))`);

/** SCIM users with these userNames (lower case) that no hub user of ours stands for. */
export const unsyncedUsersNamed = (db: Db, tenantId: string, userNamesLc: string[]) =>
  allSql<{ id: string; user_name: string; user_name_lc: string }>(db, sql`
    SELECT u.id, u.user_name, u.user_name_lc FROM json_each(${JSON.stringify(userNamesLc)}) j
    CROSS JOIN users u ON u.tenant_id = ${tenantId} AND u.user_name_lc = j.value
    WHERE NOT EXISTS (SELECT 1 FROM hub_users h WHERE h.tenant_id = u.tenant_id AND h.external_ref = u.id)`);

/** A SCIM change of the resource waits in the outbox (the next run's ingest queues it). */
const outboxPending = (tenantId: string, type: "User" | "Group", alias: string) =>
  sql`EXISTS (SELECT 1 FROM sync_outbox o WHERE o.tenant_id = ${tenantId} AND o.resource_type = ${type} AND o.resource_id = ${sql.raw(alias)}.id
    AND o.seq > (SELECT outbox_seq FROM sync_state WHERE tenant_id = ${tenantId}))`;

export interface MissingRow {
  id: string;
  name: string;
  hub_id: string | null;
  seen: string | null;
  queued: number;
  parked: number;
}

/**
 * Where a SCIM resource type, its mirror and its work items live. Our own identifiers, never
 * input: they go into the SQL as they are.
 */
const MIRRORS = {
  User: { table: "users", name: "user_name", mirror: "hub_users", mirrorKey: "external_ref", kind: "user" },
  Group: { table: "groups", name: "display_name", mirror: "hub_groups", mirrorKey: "group_id", kind: "group" },
} as const;

/**
 * SCIM users or groups after `afterId` (≤ limit) with their mirror row, whether that row was seen
 * live by this report, and their work item (queued, parked).
 */
export function scimWithMirror(db: Db, tenantId: string, type: "User" | "Group", afterId: string, limit: number) {
  const m = MIRRORS[type];
  return allSql<MissingRow>(db, sql`SELECT r.id, r.${sql.raw(m.name)} AS name, h.hub_id, h.drift_seen AS seen,
      (w.id IS NOT NULL OR ${outboxPending(tenantId, type, "r")}) AS queued, coalesce(w.parked, 0) AS parked
    FROM (SELECT id, ${sql.raw(m.name)} FROM ${sql.raw(m.table)} WHERE tenant_id = ${tenantId} AND id > ${afterId} ORDER BY id LIMIT ${limit}) r
    LEFT JOIN ${sql.raw(m.mirror)} h ON h.tenant_id = ${tenantId} AND h.${sql.raw(m.mirrorKey)} = r.id
    LEFT JOIN sync_work w ON w.tenant_id = ${tenantId} AND w.kind = ${m.kind} AND w.resource_id = r.id AND w.member_id = ''
    ORDER BY r.id`);
}

/** Our groups the live hub walk of this report saw, after `afterId` (keyset by SCIM group id). */
export const seenHubGroupsAfter = (db: Db, tenantId: string, reportId: string, afterId: string, limit: number) =>
  allSql<{ group_id: string; hub_id: string; name: string | null }>(db, sql`SELECT h.group_id, h.hub_id, g.display_name AS name
    FROM hub_groups h LEFT JOIN groups g ON g.tenant_id = h.tenant_id AND g.id = h.group_id
    WHERE h.tenant_id = ${tenantId} AND h.drift_seen = ${reportId} AND h.group_id > ${afterId} ORDER BY h.group_id LIMIT ${limit}`);

/** The SCIM user a hub user of ours stands for (the mirror's externalRef, as the sync maps members). */
const ourHubUsers = (tenantId: string, hubUserIds: string[]) =>
  sql`(SELECT DISTINCT j.value AS hub_id, h.external_ref AS scim_id FROM json_each(${JSON.stringify(hubUserIds)}) j
    CROSS JOIN hub_users h ON h.tenant_id = ${tenantId} AND h.hub_id = j.value WHERE h.external_ref IS NOT NULL)`;

/** Mark the SCIM memberships of the group whose users this page of the live hub group lists. */
export const markMembersSeenStatement = (db: Db, tenantId: string, groupId: string, reportId: string, hubUserIds: string[]) =>
  runSql(db, sql`UPDATE group_members SET drift_seen = ${reportId}
    WHERE tenant_id = ${tenantId} AND group_id = ${groupId} AND member_id IN (SELECT scim_id FROM ${ourHubUsers(tenantId, hubUserIds)})`);

/**
 * Hub users of ours on this page of the live hub group that SCIM does not list as members of it
 * (hub-made members are left alone by the sync, so they are not read here).
 */
export const extraHubMembers = (db: Db, tenantId: string, groupId: string, hubUserIds: string[]) =>
  allSql<{ hub_id: string; scim_id: string; user_name: string | null }>(db, sql`SELECT o.hub_id, o.scim_id, u.user_name
    FROM ${ourHubUsers(tenantId, hubUserIds)} o LEFT JOIN users u ON u.tenant_id = ${tenantId} AND u.id = o.scim_id
    WHERE NOT EXISTS (SELECT 1 FROM group_members m WHERE m.tenant_id = ${tenantId} AND m.group_id = ${groupId} AND m.member_id = o.scim_id)
    ORDER BY o.hub_id`);

/**
 * The group's SCIM user members after `afterId` (keyset, ≤ limit) whose user the hub holds (what
 * the hub group should list), with the report that saw each in the live hub group.
 */
export const scimMembersAfter = (db: Db, tenantId: string, groupId: string, afterId: string, limit: number) =>
  allSql<{ member_id: string; seen: string | null; hub_id: string | null; user_name: string | null }>(db, sql`
    SELECT m.member_id, m.drift_seen AS seen, u.user_name,
      (SELECT h.hub_id FROM hub_users h WHERE h.tenant_id = m.tenant_id AND h.external_ref = m.member_id LIMIT 1) AS hub_id
    FROM (SELECT member_id, drift_seen, tenant_id FROM group_members
      WHERE tenant_id = ${tenantId} AND group_id = ${groupId} AND member_type = 'User' AND member_id > ${afterId} ORDER BY member_id LIMIT ${limit}) m
    LEFT JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.member_id
    ORDER BY m.member_id`);

/** Parked items after `afterId` (keyset by item id). */
export const parkedAfter = (db: Db, tenantId: string, afterId: number, limit: number) =>
  allSql<{ id: number; kind: string; resource_id: string; member_id: string; last_error: string | null }>(db, sql`
    SELECT id, kind, resource_id, member_id, last_error FROM sync_work
    WHERE tenant_id = ${tenantId} AND parked = 1 AND id > ${afterId} ORDER BY id LIMIT ${limit}`);
