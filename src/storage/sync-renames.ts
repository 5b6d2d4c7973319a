// Storage of the users phase's rename ordering (src/sync/apply-renames.ts).
import { sql } from "drizzle-orm";
import type { Db } from "./db";
import { runSql } from "./raw-sql";

/**
 * A rename waits for one of our users that holds the name: make that user's item due now, so the
 * next run has both in one chunk and orders them (a holder backing off would keep the wait going).
 */
export const holderDueNowStatement = (db: Db, tenantId: string, holderScimId: string, now: string) =>
  runSql(db, sql`UPDATE sync_work SET next_at = ${now} WHERE tenant_id = ${tenantId} AND kind = 'user'
    AND resource_id = ${holderScimId} AND member_id = '' AND parked = 0 AND next_at > ${now}`);
