// Storage of the users phase's name hand-overs: renames (src/sync/phases/apply-renames.ts) and deletes
// that free a userName another queued user waits for.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { runSql } from "../../platform/d1/raw-sql";

/**
 * A rename waits for one of our users that holds the name and has an item of its own: this item
 * falls due when the holder's does (after the failure's back-off is written), so one run has both
 * in one chunk and orders them. Making only the holder due now, as before, let two halves of a
 * swap that backed off on different clocks take turns — each failing alone and making the other
 * due — until both parked.
 */
export const meetHolderStatement = (db: Db, tenantId: string, workId: number, holderScimId: string, now: string) =>
  runSql(db, sql`UPDATE sync_work SET next_at = max(${now}, h.next_at)
    FROM (SELECT next_at FROM sync_work WHERE tenant_id = ${tenantId} AND kind = 'user' AND resource_id = ${holderScimId}
      AND member_id = '' AND parked = 0) AS h
    WHERE sync_work.id = ${workId} AND sync_work.parked = 0`);

/**
 * These userNames (lower case) are free in the hub now (one of ours was deleted or renamed away):
 * a user item that backs off or was parked for user_name_taken on one of them is due at once, with
 * fresh attempts (a held delete can keep a re-used name taken far longer than the backoff).
 */
export const wakeNameWaitersStatement = (db: Db, tenantId: string, namesLc: string[], now: string) =>
  runSql(db, sql`UPDATE sync_work SET parked = 0, attempts = 0, next_at = ${now}, updated_at = ${now}
    WHERE tenant_id = ${tenantId} AND kind = 'user' AND member_id = '' AND (parked = 1 OR next_at > ${now})
      AND last_error LIKE '%user_name_taken%'
      AND resource_id IN (SELECT u.id FROM json_each(${JSON.stringify(namesLc)}) j
        CROSS JOIN users u ON u.tenant_id = ${tenantId} AND u.user_name_lc = j.value)`);
