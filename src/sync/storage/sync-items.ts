// Reads of the work phases: due user and group items joined with SCIM's current state, the mirror
// and the ownership ledger (one round trip each), and the deletions a cycle would make, which
// the mass-delete guard weighs against the objects we own.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql } from "../../platform/d1/raw-sql";

/** What every due item row has: the work item and the ownership ledger's entry for it. */
interface DueItemRow {
  work_id: number;
  attempts: number;
  /** 1 when the ledger lists this SCIM id (we created or adopted its hub object). */
  claimed: number;
  /** The hub id the ledger recorded (null while a create is unanswered). */
  owned_hub_id: string | null;
  /** 1: a deletion the admin confirmed (live confirmation): it passes a holding guard. */
  delete_confirmed: number;
}

/** A due item's work and ledger fields as the work phases carry them. */
export interface DueItem {
  workId: number;
  attempts: number;
  /** The ledger lists this SCIM id; ledgerHubId is the hub id it recorded (null: create unanswered). */
  claimed: boolean;
  ledgerHubId: string | null;
  /** A deletion the admin confirmed: it goes even while the guard holds deletions. */
  deleteConfirmed: boolean;
}

export const dueItemOf = (r: DueItemRow): DueItem => ({
  workId: r.work_id,
  attempts: r.attempts,
  claimed: r.claimed === 1,
  ledgerHubId: r.owned_hub_id,
  deleteConfirmed: r.delete_confirmed === 1,
});

export interface UserItemRow extends DueItemRow {
  scim_id: string;
  doc: string | null;
  version: number | null;
  hub_id: string | null;
  synced_version: number | null;
  hub_active: number | null;
  /** The userName the mirror says the hub user holds (lower case). */
  hub_user_name_lc: string | null;
  /** The ledger keeps this (deleted) user's deactivated hub account until then; null: not kept. */
  kept_until: string | null;
  /**
   * A kept hub account of ours holding this SCIM user's userName, JSON {hubId, scimId}: its SCIM
   * user is gone and it is in its grace period (or about to enter it). A create relinks it.
   */
  kept_holder: string | null;
}

/**
 * A user item deletes or deactivates a hub user: SCIM user gone (the hub account not yet kept, or
 * its grace period over and still deactivated), or active false over true. Needs the ledger joined as `o`. A kept
 * account within its grace period is not a deletion: its item does nothing until then.
 */
export const userDeletes = (now: string) =>
  sql`((u.id IS NULL AND h.hub_id IS NOT NULL AND (o.kept_until IS NULL OR (o.kept_until <= ${now} AND h.active = 0))) OR (u.active = 0 AND h.active = 1))`;
export const groupDeletes = sql`(g.id IS NULL AND hg.hub_id IS NOT NULL)`;

/** The admin confirmed this held deletion and the confirmation has not expired. */
const confirmedAt = (now: string) => sql`coalesce(w.delete_confirmed_until > ${now}, 0)`;

/**
 * Due, unparked user items; with `holdDeletions` the ones that would delete or deactivate wait,
 * unless the admin confirmed them (POST …/confirm-deletions) and the confirmation is live.
 */
export const dueUserItems = (db: Db, tenantId: string, now: string, limit: number, holdDeletions: boolean, keepOn: boolean) =>
  allSql<UserItemRow>(db, sql`
    SELECT w.id AS work_id, w.attempts, w.resource_id AS scim_id, u.doc, u.version, h.hub_id, h.synced_version, h.active AS hub_active,
      h.user_name_lc AS hub_user_name_lc, o.scim_id IS NOT NULL AS claimed, o.hub_id AS owned_hub_id,
      ${confirmedAt(now)} AS delete_confirmed, o.kept_until,
      CASE WHEN u.id IS NOT NULL THEN ${keptHolder(now, keepOn)} END AS kept_holder
    FROM sync_work w
    LEFT JOIN users u ON u.tenant_id = w.tenant_id AND u.id = w.resource_id
    LEFT JOIN hub_users h ON h.tenant_id = w.tenant_id AND h.external_ref = w.resource_id
    LEFT JOIN hub_owned o ON o.tenant_id = w.tenant_id AND o.kind = 'user' AND o.scim_id = w.resource_id
    WHERE w.tenant_id = ${tenantId} AND w.kind = 'user' AND w.parked = 0 AND w.next_at <= ${now}
      ${holdDeletions ? sql`AND (NOT ${userDeletes(now)} OR ${confirmedAt(now)})` : sql``}
    ORDER BY w.resource_id LIMIT ${limit}`);

/**
 * The kept hub account of ours that holds the SCIM user u's userName (ignoring case), as JSON
 * {hubId, scimId}: listed in the ledger under a SCIM user that no longer exists (by its hub id, or
 * by a claim whose create answer was lost, as the sync judges ownership), and within its
 * grace period — or not kept yet (its deactivation is in the same queue) while the tenant keeps
 * accounts at all (keepOn). One indexed read of the mirror by name.
 */
const keptHolder = (now: string, keepOn: boolean) => sql`(SELECT json_object('hubId', k.hub_id, 'scimId', k.external_ref)
  FROM hub_users k CROSS JOIN hub_owned ko ON ko.tenant_id = k.tenant_id AND ko.kind = 'user' AND ko.scim_id = k.external_ref
    AND (ko.hub_id = k.hub_id OR ko.hub_id IS NULL)
  WHERE k.tenant_id = w.tenant_id AND k.user_name_lc = u.user_name_lc AND k.external_ref <> w.resource_id
    AND coalesce(ko.kept_until > ${now}, ${keepOn ? 1 : 0})
    AND NOT EXISTS (SELECT 1 FROM users x WHERE x.tenant_id = k.tenant_id AND x.id = k.external_ref)
  LIMIT 1)`;

export interface GroupItemRow extends DueItemRow {
  group_id: string;
  display_name: string | null;
  hub_id: string | null;
  hub_name: string | null;
}

export const dueGroupItems = (db: Db, tenantId: string, now: string, limit: number, holdDeletions: boolean) =>
  allSql<GroupItemRow>(db, sql`
    SELECT w.id AS work_id, w.attempts, w.resource_id AS group_id, g.display_name, hg.hub_id, hg.name AS hub_name,
      o.scim_id IS NOT NULL AS claimed, o.hub_id AS owned_hub_id, ${confirmedAt(now)} AS delete_confirmed
    FROM sync_work w
    LEFT JOIN groups g ON g.tenant_id = w.tenant_id AND g.id = w.resource_id
    LEFT JOIN hub_groups hg ON hg.tenant_id = w.tenant_id AND hg.group_id = w.resource_id
    LEFT JOIN hub_owned o ON o.tenant_id = w.tenant_id AND o.kind = 'group' AND o.scim_id = w.resource_id
    WHERE w.tenant_id = ${tenantId} AND w.kind = 'group' AND w.parked = 0
      AND w.next_at <= ${now}
      ${holdDeletions ? sql`AND (NOT ${groupDeletes} OR ${confirmedAt(now)})` : sql``}
    ORDER BY w.resource_id LIMIT ${limit}`);

/**
 * How many queued items would delete (or deactivate) hub objects that no live confirmation
 * covers (what the guard weighs: confirmed ones go anyway), and how many we own.
 */
export async function plannedDeletions(db: Db, tenantId: string, kind: "user" | "group", now: string): Promise<{ deletions: number; owned: number }> {
  const deletions = kind === "user"
    ? sql`SELECT count(*) FROM sync_work w
        LEFT JOIN users u ON u.tenant_id = w.tenant_id AND u.id = w.resource_id
        JOIN hub_users h ON h.tenant_id = w.tenant_id AND h.external_ref = w.resource_id
        LEFT JOIN hub_owned o ON o.tenant_id = w.tenant_id AND o.kind = 'user' AND o.scim_id = w.resource_id
        WHERE w.tenant_id = ${tenantId} AND w.kind = 'user' AND w.parked = 0 AND ${userDeletes(now)} AND NOT ${confirmedAt(now)}`
    : sql`SELECT count(*) FROM sync_work w
        LEFT JOIN groups g ON g.tenant_id = w.tenant_id AND g.id = w.resource_id
        JOIN hub_groups hg ON hg.tenant_id = w.tenant_id AND hg.group_id = w.resource_id
        WHERE w.tenant_id = ${tenantId} AND w.kind = 'group' AND w.parked = 0 AND ${groupDeletes} AND NOT ${confirmedAt(now)}`;
  const rows = await allSql<{ deletions: number; owned: number }>(db, sql`SELECT (${deletions}) AS deletions,
    (SELECT count(*) FROM hub_owned WHERE tenant_id = ${tenantId} AND kind = ${kind}) AS owned`);
  return rows[0] ?? { deletions: 0, owned: 0 };
}
