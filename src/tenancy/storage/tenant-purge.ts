// Offboarding: every row a tenant owns, deleted in bounded chunks by the cron after
// DELETE /admin/v1/tenants/{id}. The tenants row stays as a tombstone, so its id is never reused.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";
import { runParts } from "../../platform/d1/batch";

/**
 * Every table with a tenant_id column, except `tenants` itself. A new tenant-owned table must be
 * added here (test/api/tenant-lifecycle.test.ts checks the schema for forgotten ones).
 */
export const TENANT_TABLES = [
  "users",
  "groups",
  "group_members",
  "sync_outbox",
  "sync_work",
  "sync_purge",
  "sync_state",
  "hub_settings",
  "hub_users",
  "hub_groups",
  "hub_members",
  "sync_log",
  "compat_counters",
  "tenant_rate_limits",
  "entra_token_trust",
  "audit_log",
  "issued_tokens",
  "scim_clients",
  "tenant_extensions",
  "hub_owned",
  "setup_links",
  "portal_sessions",
  "tenant_api_tokens",
  "hub_name_rejections",
  "tenant_token_policy",
] as const;

/**
 * Tenant-owned tables that the purge must not delete from directly: the substring index's keys go
 * with their users (the users delete trigger also removes the index entry, which has no tenant
 * column; deleting a key first would strand that entry), and the maintained counts go when their
 * last user or group does (migration 0017). Counted in `remainingRows` all the same.
 */
export const TRIGGER_PURGED_TABLES = ["user_search_keys", "resource_counts"] as const;
const COUNTED_TABLES = [...TENANT_TABLES, ...TRIGGER_PURGED_TABLES];

/** Rows per table per statement: one purge round deletes at most TENANT_TABLES × this. */
export const TENANT_PURGE_CHUNK = 1000;

const table = (name: string) => sql.raw(`"${name}"`);

/** One round for one tenant: a chunk of every table in one D1 batch. Returns rows deleted. */
export async function purgeTenantRound(db: Db, tenantId: string, chunk = TENANT_PURGE_CHUNK): Promise<number> {
  const statements = TENANT_TABLES.map((name) =>
    runSql(db, sql`DELETE FROM ${table(name)} WHERE rowid IN
      (SELECT rowid FROM ${table(name)} WHERE tenant_id = ${tenantId} LIMIT ${chunk})`),
  );
  const { deletes } = await runParts(db, { deletes: statements });
  return deletes.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
}

/** Rows left per table (only tables with rows); one D1 batch of index counts. */
export async function remainingRows(db: Db, tenantId: string): Promise<Record<string, number>> {
  // One statement per table: D1 caps the terms of a compound SELECT, so no UNION ALL.
  const counts = COUNTED_TABLES.map((name) =>
    allSql<{ n: number }>(db, sql`SELECT count(*) AS n FROM ${table(name)} WHERE tenant_id = ${tenantId}`),
  );
  const results = (await runParts(db, { counts })).counts;
  return Object.fromEntries(
    COUNTED_TABLES.map((name, i) => [name, results[i]?.[0]?.n ?? 0] as const).filter(([, n]) => n > 0),
  );
}

/** Tenants waiting for their purge whose sync is not mid-cycle (a live lease still writes rows). */
export const tenantsToPurge = (db: Db, now: string, limit: number) =>
  allSql<{ id: string }>(db, sql`SELECT t.id FROM tenants t WHERE t.state = 'deleting'
    AND NOT EXISTS (SELECT 1 FROM sync_state s WHERE s.tenant_id = t.id AND s.lease_until > ${now})
    AND NOT EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = t.id)
    ORDER BY t.deleted_at LIMIT ${limit}`);

/** The purge found nothing left: the tenant becomes a tombstone. */
export const markTenantDeleted = (db: Db, tenantId: string) =>
  runSql(db, sql`UPDATE tenants SET state = 'deleted' WHERE id = ${tenantId} AND state = 'deleting'`);

/**
 * The cron's share of offboarding: purge rounds over the deleting tenants (≤ TENANT_TABLES ×
 * chunk rows each) until `maxRounds` or `budgetMs` is spent. A round that finds nothing marks the
 * tenant deleted; a large tenant simply continues on the next run. Returns rows deleted.
 */
export async function runTenantPurges(db: Db, now: string, { maxRounds = 20, budgetMs = 10_000 } = {}): Promise<number> {
  const deadline = Date.now() + budgetMs;
  let rounds = 0;
  let deleted = 0;
  const spent = () => rounds >= maxRounds || Date.now() >= deadline;
  for (const { id } of await tenantsToPurge(db, now, 5)) {
    while (!spent()) {
      rounds++;
      const n = await purgeTenantRound(db, id);
      deleted += n;
      if (n === 0) {
        await markTenantDeleted(db, id);
        break;
      }
    }
    if (spent()) break;
  }
  return deleted;
}
