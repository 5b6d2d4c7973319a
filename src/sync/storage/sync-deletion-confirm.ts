// Confirmations of held deletions (POST …/provisioning/confirm-deletions): the deletion items
// the mass-delete guard holds at that moment are marked with the confirmation's expiry, so a
// confirmation covers exactly what the admin saw (count and identity). A new confirmation
// replaces the last one; a mark leaves with its item (done) or lapses at its expiry.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";
import { groupDeletes, userDeletes } from "./sync-items";

/** Mark the queued deletions of users and groups as confirmed until `until` (and only them). */
export const confirmHeldDeletionsStatements = (db: Db, tenantId: string, now: string, until: string) => [
  runSql(db, sql`UPDATE sync_work SET delete_confirmed_until = NULL WHERE tenant_id = ${tenantId} AND delete_confirmed_until IS NOT NULL`),
  runSql(db, sql`UPDATE sync_work SET delete_confirmed_until = ${until} WHERE id IN (
    SELECT w.id FROM sync_work w
      LEFT JOIN users u ON u.tenant_id = w.tenant_id AND u.id = w.resource_id
      JOIN hub_users h ON h.tenant_id = w.tenant_id AND h.external_ref = w.resource_id
      LEFT JOIN hub_owned o ON o.tenant_id = w.tenant_id AND o.kind = 'user' AND o.scim_id = w.resource_id
      WHERE w.tenant_id = ${tenantId} AND w.kind = 'user' AND w.parked = 0 AND ${userDeletes(now)}
    UNION ALL SELECT w.id FROM sync_work w
      LEFT JOIN groups g ON g.tenant_id = w.tenant_id AND g.id = w.resource_id
      JOIN hub_groups hg ON hg.tenant_id = w.tenant_id AND hg.group_id = w.resource_id
      WHERE w.tenant_id = ${tenantId} AND w.kind = 'group' AND w.parked = 0 AND ${groupDeletes})`),
];

import type { DeletionConfirmation } from "../admin/responses";
export type { DeletionConfirmation };

/** The live confirmation: deletions it still covers (not done yet) and when it expires; null: none. */
export async function liveConfirmation(db: Db, tenantId: string, now: string): Promise<DeletionConfirmation | null> {
  const rows = await allSql<{ users: number; groups: number; expires_at: string | null }>(db, sql`
    SELECT coalesce(sum(kind = 'user'), 0) AS users, coalesce(sum(kind = 'group'), 0) AS groups, max(delete_confirmed_until) AS expires_at
    FROM sync_work WHERE tenant_id = ${tenantId} AND delete_confirmed_until > ${now}`);
  const r = rows[0];
  return r && r.expires_at ? { users: r.users, groups: r.groups, expiresAt: r.expires_at } : null;
}
