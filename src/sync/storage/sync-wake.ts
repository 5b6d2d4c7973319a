// Queue bookkeeping of the Device Hub sync in sync_state: the wake flag that coalesces the sync
// messages of a burst of SCIM writes, the cron's due-tenant pages, what a finished run left
// behind, and the dead-letter counters. Raw SQL: conditional updates with RETURNING.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";

/**
 * Claim the tenant's wake-up: true when this caller should send the sync message. Only started
 * tenants whose hub settings ask for it, and only when no message went out in the last
 * `coalesceMs` (a claim older than that is treated as lost).
 */
export async function claimWake(db: Db, tenantId: string, now: string, coalesceMs: number): Promise<boolean> {
  const staleBefore = new Date(Date.parse(now) - coalesceMs).toISOString();
  const rows = await allSql<{ tenant_id: string }>(db, sql`UPDATE sync_state SET wake_queued_at = ${now}
    WHERE tenant_id = ${tenantId} AND started = 1
      AND (wake_queued_at IS NULL OR wake_queued_at <= ${staleBefore})
      AND EXISTS (SELECT 1 FROM hub_settings h WHERE h.tenant_id = ${tenantId} AND h.sync_on_change = 1)
    RETURNING tenant_id`);
  return rows.length > 0;
}

/** A consumer took the tenant's message: later writes may wake it again. */
export const clearWake = (db: Db, tenantId: string) =>
  runSql(db, sql`UPDATE sync_state SET wake_queued_at = NULL WHERE tenant_id = ${tenantId} AND wake_queued_at IS NOT NULL`);

export interface DueTenantPage {
  tenantIds: string[];
  /** Keyset cursor for the next page; null after the last. */
  next: string | null;
}

/**
 * Started tenants that need a run: due by schedule (sweep, retry, periodic cycle) or holding
 * un-ingested outbox rows (a lost wake message); not rate-limited, not leased, and without a
 * message sent in the last `graceMs`. Keyset pages by tenant id.
 */
export async function dueTenantPage(db: Db, now: string, after: string, limit: number, graceMs: number): Promise<DueTenantPage> {
  const sentBefore = new Date(Date.parse(now) - graceMs).toISOString();
  const rows = await allSql<{ tenant_id: string }>(db, sql`SELECT s.tenant_id FROM sync_state s
    WHERE s.started = 1 AND s.tenant_id > ${after}
      AND (s.hub_blocked_until IS NULL OR s.hub_blocked_until <= ${now})
      AND (s.lease_until IS NULL OR s.lease_until <= ${now})
      AND (s.wake_queued_at IS NULL OR s.wake_queued_at <= ${sentBefore})
      AND (s.next_run_at <= ${now}
        OR EXISTS (SELECT 1 FROM sync_outbox o WHERE o.tenant_id = s.tenant_id AND o.seq > s.outbox_seq))
    ORDER BY s.tenant_id LIMIT ${limit}`);
  const tenantIds = rows.map((r) => r.tenant_id);
  return { tenantIds, next: tenantIds.length === limit ? (tenantIds.at(-1) ?? null) : null };
}

/** Mark the tenants of one sent page: no second cron message while theirs is on its way. */
export const markWoken = (db: Db, tenantIds: string[], now: string) =>
  runSql(db, sql`UPDATE sync_state SET wake_queued_at = ${now}
    WHERE tenant_id IN (SELECT value FROM json_each(${JSON.stringify(tenantIds)}))`);

export interface AfterRun {
  started: boolean;
  /** Outbox rows written after the run's last ingest: they need another run. */
  outboxPending: boolean;
  hubBlockedUntil: string | null;
  /** When the earliest item backing off (not parked, not pending, not yet due) falls due; null: none. */
  nextItemAt: string | null;
  /** When the tenant's next scheduled run is due (the cron sends it then). */
  nextRunAt: string;
}

/** What a run left behind, read after it released the lease (one round trip). */
export async function afterRunState(db: Db, tenantId: string, now = new Date().toISOString()): Promise<AfterRun | undefined> {
  const rows = await allSql<{ started: number; pending: number; blocked: string | null; item_at: string | null; next_run_at: string }>(db, sql`SELECT s.started,
      EXISTS (SELECT 1 FROM sync_outbox o WHERE o.tenant_id = s.tenant_id AND o.seq > s.outbox_seq) AS pending,
      s.hub_blocked_until AS blocked, s.next_run_at,
      (SELECT min(w.next_at) FROM sync_work w WHERE w.tenant_id = s.tenant_id AND w.parked = 0 AND w.pending = 0
        AND w.next_at > ${now}) AS item_at
    FROM sync_state s WHERE s.tenant_id = ${tenantId}`);
  const row = rows[0];
  return row && { started: row.started === 1, outboxPending: row.pending === 1, hubBlockedUntil: row.blocked, nextItemAt: row.item_at, nextRunAt: row.next_run_at };
}

/** Count a message of the tenant that reached the dead-letter queue. */
export const recordDeadLetter = (db: Db, tenantId: string, now: string) =>
  runSql(db, sql`UPDATE sync_state SET dead_letters = dead_letters + 1, last_dead_letter_at = ${now}
    WHERE tenant_id = ${tenantId}`);
