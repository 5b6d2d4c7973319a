// Producers of the sync queue: the cron tick (pages through due tenants, one message each, bounded
// per invocation) and the wake-up after a SCIM write (one message per tenant per few seconds).
import type { Bindings } from "../../config";
import { errorText, type Logger } from "../../platform/log";
import type { Db } from "../../platform/d1/db";
import { shardDb, shardNames } from "../../platform/d1/shards";
import { claimWake, dueTenantPage, markWoken } from "../storage/sync-wake";
import { sendSync, sendSyncBatch } from "./messages";

/** A burst of writes sends at most one message per tenant per this window. */
export const WAKE_COALESCE_MS = 5_000;
/** The cron skips tenants whose message went out less than this long ago (it is on its way). */
export const DISPATCH_GRACE_MS = 2 * 60_000;
export const DISPATCH_PAGE = 100;
/** Pages per cron tick: 50 × 100 tenants; the rest (if ever) go out on the next tick. */
export const MAX_DISPATCH_PAGES = 50;

export interface DispatchReport {
  sent: number;
  pages: number;
  /** More due tenants than this tick may send. */
  truncated: boolean;
}

/** The cron tick: one `cron` message per due tenant, in pages of ≤ 100 (one sendBatch each). */
export async function dispatchDueTenants(env: Bindings, db: Db, now: string, maxPages = MAX_DISPATCH_PAGES): Promise<DispatchReport> {
  let after = "";
  let sent = 0;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await dueTenantPage(db, now, after, DISPATCH_PAGE, DISPATCH_GRACE_MS);
    if (page.tenantIds.length > 0) {
      await sendSyncBatch(env.SYNC_QUEUE, page.tenantIds, "cron");
      // Marked after the send: a failed send leaves them due for the next tick.
      await markWoken(db, page.tenantIds, now);
      sent += page.tenantIds.length;
    }
    if (page.next === null) return { sent, pages: pages + 1, truncated: false };
    after = page.next;
  }
  return { sent, pages: maxPages, truncated: true };
}

/**
 * The cron tick over every shard: each gets an equal share of the page budget (at least one page),
 * so the tick's subrequests stay bounded however many shards there are. A shard that fails (D1
 * unavailable) keeps its tenants due for the next tick; the others still dispatch.
 */
export async function dispatchAllShards(env: Bindings, now: string, log: Logger, maxPages = MAX_DISPATCH_PAGES): Promise<DispatchReport> {
  const shards = shardNames(env);
  const pagesEach = Math.max(1, Math.floor(maxPages / shards.length));
  const total: DispatchReport = { sent: 0, pages: 0, truncated: false };
  for (const shard of shards) {
    try {
      const report = await dispatchDueTenants(env, shardDb(env, shard), now, pagesEach);
      total.sent += report.sent;
      total.pages += report.pages;
      total.truncated ||= report.truncated;
    } catch (e) {
      log.error("sync dispatch failed on a shard", { shard, error: errorText(e) });
    }
  }
  return total;
}

/**
 * After a committed SCIM write: wake the tenant's sync unless a message is already on its way.
 * Runs in waitUntil; a failure only delays the change until the next cron tick.
 */
export async function wakeTenant(env: Bindings, db: Db, tenantId: string, log: Logger): Promise<boolean> {
  if (!env.SYNC_QUEUE) return false;
  try {
    if (!(await claimWake(db, tenantId, new Date().toISOString(), WAKE_COALESCE_MS))) return false;
    await sendSync(env.SYNC_QUEUE, { tenantId, reason: "change" });
    return true;
  } catch (e) {
    log.error("sync wake-up failed; the next cron tick catches the change", { tenantId, error: errorText(e) });
    return false;
  }
}
