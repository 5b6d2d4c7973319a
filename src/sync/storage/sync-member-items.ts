// Reads of the membership work phases: due single-membership items joined with SCIM truth, the
// mirror and hub ids; due whole-membership diffs; and the keyset chunks of one group's diff.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql } from "../../platform/d1/raw-sql";
import { purgePendingSql } from "./sync-purge";

export type DiffRow = { member_id: string; hub_id: string | null };

export const dueMemberItems = (db: Db, tenantId: string, now: string, limit: number) =>
  allSql<{
    id: number; attempts: number; pending: number; group_id: string; member_id: string; scim_group: number;
    hub_group: string | null; hub_user: string | null; desired: number; known: number;
  }>(db, sql`
    SELECT w.id, w.attempts, w.pending, w.resource_id AS group_id, w.member_id, g.id IS NOT NULL AS scim_group,
      hg.hub_id AS hub_group, hu.hub_id AS hub_user, gm.member_id IS NOT NULL AS desired, hm.member_id IS NOT NULL AS known
    FROM sync_work w
    LEFT JOIN groups g ON g.tenant_id = w.tenant_id AND g.id = w.resource_id
    LEFT JOIN hub_groups hg ON hg.tenant_id = w.tenant_id AND hg.group_id = w.resource_id
    LEFT JOIN hub_users hu ON hu.tenant_id = w.tenant_id AND hu.external_ref = w.member_id
    LEFT JOIN group_members gm ON gm.tenant_id = w.tenant_id AND gm.group_id = w.resource_id
      AND gm.member_id = w.member_id AND gm.member_type = 'User'
    LEFT JOIN hub_members hm ON hm.tenant_id = w.tenant_id AND hm.group_id = w.resource_id AND hm.member_id = w.member_id
    WHERE w.tenant_id = ${tenantId} AND w.kind = 'membership' AND w.parked = 0 AND w.next_at <= ${now}
      -- pending items wake when their user is mapped, or when the membership is gone (user or group deleted)
      AND (w.pending = 0 OR hu.hub_id IS NOT NULL OR gm.member_id IS NULL OR g.id IS NULL)
      AND NOT ${purgePendingSql(tenantId, sql`w.resource_id`)}
    ORDER BY w.resource_id, w.member_id LIMIT ${limit}`);

export const dueMembershipDiffs = (db: Db, tenantId: string, now: string, limit: number) =>
  allSql<{ id: number; attempts: number; group_id: string; cursor: string | null; scim: number; hub_id: string | null }>(db, sql`
    SELECT w.id, w.attempts, w.resource_id AS group_id, w.cursor, g.id IS NOT NULL AS scim, hg.hub_id
    FROM sync_work w
    LEFT JOIN groups g ON g.tenant_id = w.tenant_id AND g.id = w.resource_id
    LEFT JOIN hub_groups hg ON hg.tenant_id = w.tenant_id AND hg.group_id = w.resource_id
    WHERE w.tenant_id = ${tenantId} AND w.kind = 'groupMembership' AND w.parked = 0 AND w.next_at <= ${now}
      AND NOT ${purgePendingSql(tenantId, sql`w.resource_id`)}
    ORDER BY w.resource_id LIMIT ${limit}`);

/** The next keyset chunk of a group's membership diff: SCIM members the mirror lacks, and back. */
export function membershipDiffReads(db: Db, t: string, groupId: string, c: { addAfter: string; addLimit: number; removeAfter: string; removeLimit: number }) {
  const adds = allSql<DiffRow>(db, sql`
    SELECT gm.member_id, hu.hub_id FROM group_members gm
    LEFT JOIN hub_members hm ON hm.tenant_id = gm.tenant_id AND hm.group_id = gm.group_id AND hm.member_id = gm.member_id
    LEFT JOIN hub_users hu ON hu.tenant_id = gm.tenant_id AND hu.external_ref = gm.member_id
    WHERE gm.tenant_id = ${t} AND gm.group_id = ${groupId} AND gm.member_type = 'User'
      AND gm.member_id > ${c.addAfter} AND hm.member_id IS NULL
    ORDER BY gm.member_id LIMIT ${c.addLimit}`);
  const removes = allSql<DiffRow>(db, sql`
    SELECT hm.member_id, hu.hub_id FROM hub_members hm
    LEFT JOIN group_members gm ON gm.tenant_id = hm.tenant_id AND gm.group_id = hm.group_id AND gm.member_id = hm.member_id AND gm.member_type = 'User'
    LEFT JOIN hub_users hu ON hu.tenant_id = hm.tenant_id AND hu.external_ref = hm.member_id
    WHERE hm.tenant_id = ${t} AND hm.group_id = ${groupId} AND hm.member_id > ${c.removeAfter} AND gm.member_id IS NULL
    ORDER BY hm.member_id LIMIT ${c.removeLimit}`);
  return { adds, removes };
}

