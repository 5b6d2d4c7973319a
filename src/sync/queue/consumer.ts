// The sync queue's consumer: one bounded cycle per tenant of the batch (side by side, each under
// its lease and its share of the invocation budget and connections), then ack, continue, or retry
// with a delay.
// Delivery is at least once: a duplicate finds no work or a busy lease, and changes nothing.
// Messages name only the tenant: its shard is looked up when the batch arrives (one directory read
// per batch), because a message can wait in the queue (retries, delays of up to a day) while its
// tenant moves; a shard written into the message could be stale by then.
import type { Bindings } from "../../config";
import { errorText, type Logger } from "../../platform/log";
import type { Db } from "../../platform/d1/db";
import { groupByShard, placementsOf } from "../../tenancy/port";
import { DIRECTORY_SHARD, directoryDb, shardDb } from "../../platform/d1/shards";
import { slowLaneTenants } from "../storage/sync-state";
import { afterRunState, clearWake, recordDeadLetter } from "../storage/sync-wake";
import { clampDelay, queueOfLane, sendSync, SyncMessage, type SyncLane, type SyncReason } from "./messages";
import { runDriftSteps } from "../admin/drift";
import { runReconcile, type ReconcileOptions, type TenantRunReport } from "../engine/reconcile";
import { DEFAULT_MAX_HUB_IN_FLIGHT } from "../hub/budget";

/** Tenants run side by side per invocation; the D1 (700) and hub (4,000) budgets are shared. */
export const TENANTS_PER_INVOCATION = 5;
const INVOCATION_D1_CALLS = 700;
const INVOCATION_HUB_CALLS = 4000;

/** A drift report's share of an invocation, and the wait after a hub read that failed. */
const DRIFT_BUDGET_MS = 15_000;
const DRIFT_RETRY_S = 30;

/** Delay before a failed run (an unexpected error) is retried: 30 s doubling, at most 1 h. */
export const errorRetryDelay = (attempts: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));

type Delivery = { message: Message<unknown>; body: SyncMessage };

/** Duplicates in one batch (same tenant) are acked at once: the first one's run covers them. */
function distinctTenants(batch: MessageBatch<unknown>, log: Logger): Delivery[] {
  const byTenant = new Map<string, Delivery>();
  for (const message of batch.messages) {
    const parsed = SyncMessage.safeParse(message.body);
    if (!parsed.success) {
      // A poison message: retried until it lands in the dead-letter queue, where it is logged.
      log.error("invalid sync message", { messageId: message.id, attempts: message.attempts });
      message.retry();
    } else if (byTenant.has(parsed.data.tenantId)) message.ack();
    else byTenant.set(parsed.data.tenantId, { message, body: parsed.data });
  }
  return [...byTenant.values()];
}

/**
 * One batch of a lane's queue. Fast lane: tenants in the slow lane (their hub was timing out or
 * erroring) are handed to the slow-lane queue unrun, so no healthy tenant waits for a sick hub in
 * the same invocation; the healthy ones run side by side, ≤ 5 at a time, each next one starting
 * as soon as any run ends. Without a slow-lane binding the sick ones run after the healthy ones,
 * each alone. Slow lane: one tenant at a time.
 *
 * Nothing marks a hub sick before its first run, so that run still shares the batch. It holds up
 * no one: runs are not awaited in groups (a group would wait for its slowest), and each run opens
 * at most its share of the invocation's six connections (a hung hub holding all six would starve
 * every other run's hub calls).
 */
export async function consumeSyncBatch(batch: MessageBatch<unknown>, env: Bindings, log: Logger, opts: ReconcileOptions = {}, lane: SyncLane = "fast"): Promise<void> {
  const deliveries = distinctTenants(batch, log);
  // Unknown to the directory: DB, where every tenant lived before shards (its run finds nothing).
  const shardOf = await placementsOf(directoryDb(env), deliveries.map((d) => d.body.tenantId));
  const shard = (d: Delivery) => shardOf.get(d.body.tenantId) ?? DIRECTORY_SHARD;
  const sick = lane === "fast" ? await slowLaneOf(env, deliveries, shard) : new Set<string>();
  const healthy = deliveries.filter((d) => !sick.has(d.body.tenantId));
  const alone = lane === "slow" ? healthy : deliveries.filter((d) => sick.has(d.body.tenantId));
  const together = lane === "slow" ? [] : healthy;
  if (lane === "fast" && env.SYNC_SLOW_QUEUE) {
    for (const d of alone) {
      await sendSync(env.SYNC_SLOW_QUEUE, d.body);
      log.info("sync message moved to the slow lane", { tenantId: d.body.tenantId, reason: d.body.reason });
      d.message.ack();
    }
    alone.length = 0;
  }
  const side = Math.min(TENANTS_PER_INVOCATION, together.length);
  // Each run's share of what the runs side by side have (as the groups of five had before).
  const share = {
    maxD1Calls: Math.floor((opts.maxD1Calls ?? INVOCATION_D1_CALLS) / Math.max(1, side)),
    maxHubCalls: Math.floor((opts.maxHubCalls ?? INVOCATION_HUB_CALLS) / Math.max(1, side)),
    maxHubInFlight: Math.max(1, Math.floor(DEFAULT_MAX_HUB_IN_FLIGHT / Math.max(1, side))),
  };
  let next = 0;
  const worker = async () => {
    for (let d = together[next++]; d; d = together[next++]) await runDelivery(env, shard(d), d, log, { ...opts, ...share }, lane);
  };
  await Promise.all(Array.from({ length: side }, worker));
  for (const d of alone) await runDelivery(env, shard(d), d, log, opts, "slow");
  log.info("sync batch handled", { lane, messages: batch.messages.length, tenants: deliveries.length, slowLane: sick.size });
}

/** The tenants of the batch in the slow lane (one read per shard). */
async function slowLaneOf(env: Bindings, deliveries: Delivery[], shard: (d: Delivery) => string): Promise<Set<string>> {
  const byShard = new Map<string, string[]>();
  for (const d of deliveries) byShard.set(shard(d), [...(byShard.get(shard(d)) ?? []), d.body.tenantId]);
  const sick = new Set<string>();
  for (const [name, ids] of byShard) for (const id of await slowLaneTenants(shardDb(env, name), ids)) sick.add(id);
  return sick;
}

async function runDelivery(env: Bindings, shard: string, { message, body }: Delivery, log: Logger, opts: ReconcileOptions, lane: SyncLane): Promise<void> {
  const { tenantId, reason } = body;
  if (reason === "drift") return runDriftDelivery(env, shard, message, tenantId, lane, log);
  try {
    const db = shardDb(env, shard);
    // Taken: writes from now on wake the tenant again (this run may already be past its ingest).
    await clearWake(db, tenantId);
    const report = await runReconcile(env, { ...opts, tenantIds: [tenantId], shard, log });
    const run = report.tenants[0] ?? { tenantId, outcome: "busy" as const };
    log.info("sync message handled", { tenantId, reason, lane, attempts: message.attempts, outcome: run.outcome, stop: run.stop });
    await settle(env, db, message, run, lane);
  } catch (e) {
    log.error("sync message failed; retrying", { tenantId, reason, attempts: message.attempts, error: errorText(e) });
    message.retry({ delaySeconds: errorRetryDelay(message.attempts) });
  }
}

/** A drift report's invocation: its steps, then another `drift` message while it has more. */
async function runDriftDelivery(env: Bindings, shard: string, message: Message<unknown>, tenantId: string, lane: SyncLane, log: Logger) {
  try {
    const outcome = await runDriftSteps(env, shardDb(env, shard), tenantId, Date.now() + DRIFT_BUDGET_MS, () => new Date().toISOString());
    log.info("drift message handled", { tenantId, lane, outcome });
    if (outcome !== "done" && outcome !== "gone") await sendSync(queueOfLane(env, lane), { tenantId, reason: "drift" }, outcome === "retry" ? DRIFT_RETRY_S : 0);
    message.ack();
  } catch (e) {
    log.error("drift message failed; retrying", { tenantId, attempts: message.attempts, error: errorText(e) });
    message.retry({ delaySeconds: errorRetryDelay(message.attempts) });
  }
}

/** Ack, or hand the tenant on: `continue` after a budget pause, a delayed retry after a 429. */
async function settle(env: Bindings, db: Db, message: Message<unknown>, run: TenantRunReport, lane: SyncLane): Promise<void> {
  const { tenantId } = run;
  if (run.outcome === "error") return message.retry({ delaySeconds: errorRetryDelay(message.attempts) });
  if (run.outcome === "paused" && run.stop === "budget") {
    // On in the lane the tenant is in now (a budget pause leaves it where it was).
    await sendSync(queueOfLane(env, run.lane ?? lane), { tenantId, reason: "continue" });
  } else if (run.outcome === "paused" && run.stop === "rateLimited") {
    const until = (await afterRunState(db, tenantId))?.hubBlockedUntil;
    const wait = until ? (Date.parse(until) - Date.now()) / 1000 : 1;
    return message.retry({ delaySeconds: Math.max(1, clampDelay(wait)) });
  } else if (run.outcome === "finished") {
    if (!(await followUp(env, db, tenantId, "change"))) await wakeWhenDue(env, db, tenantId);
  }
  // busy: the lease holder's own follow-up sees what it missed (an expired lease: the cron);
  // unauthorized / hub unavailable: the run set the next run time, the cron sends that message.
  message.ack();
}

/**
 * After a finished run: outbox rows written after its ingest (their wake-up found the tenant
 * busy) need another run. Also used by runs outside the queue (admin "Run now ?wait=true").
 */
export async function followUp(env: Bindings, db: Db, tenantId: string, reason: SyncReason): Promise<boolean> {
  const after = await afterRunState(db, tenantId);
  if (!after?.started || !after.outboxPending || !env.SYNC_QUEUE) return false;
  await sendSync(env.SYNC_QUEUE, { tenantId, reason });
  return true;
}

/**
 * After a finished run that left items backing off: a delayed message wakes the tenant when the
 * earliest falls due, instead of the next cron tick (up to 5 minutes later). A duplicate wake-up
 * is harmless (an idle run), and the cron still sends one at the next run time if this is lost.
 */
async function wakeWhenDue(env: Bindings, db: Db, tenantId: string): Promise<void> {
  const after = await afterRunState(db, tenantId);
  if (!after?.started || !after.nextItemAt || !env.SYNC_QUEUE) return;
  await sendSync(env.SYNC_QUEUE, { tenantId, reason: "due" }, Math.max(1, (Date.parse(after.nextItemAt) - Date.now()) / 1000));
}

/** The dead-letter queue: count each message on its tenant (status API), log it, ack it. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Bindings, log: Logger): Promise<void> {
  const now = new Date().toISOString();
  const tenants: string[] = [];
  for (const message of batch.messages) {
    const parsed = SyncMessage.safeParse(message.body);
    log.error("sync message dead-lettered", {
      messageId: message.id,
      tenantId: parsed.success ? parsed.data.tenantId : undefined,
      reason: parsed.success ? parsed.data.reason : "invalid message",
    });
    if (parsed.success) tenants.push(parsed.data.tenantId);
  }
  if (tenants.length > 0) {
    for (const [shard, ids] of await groupByShard(directoryDb(env), tenants, DIRECTORY_SHARD)) {
      const db = shardDb(env, shard);
      const [first, ...rest] = ids.map((id) => recordDeadLetter(db, id, now));
      if (first) await db.batch([first, ...rest]);
    }
  }
  batch.ackAll();
}
