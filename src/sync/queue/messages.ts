// The sync queue's message: "tenant T has sync work" and why. A few dozen bytes (the limit is
// 128 KB), checked on receipt (zod), sent alone or in pages of ≤ 100 (sendBatch's limit).
import { z } from "zod";

/** Queue names, as in wrangler.toml ([[queues.producers]] / [[queues.consumers]]). */
export const SYNC_QUEUE_NAME = "edge-scim-sync";
export const SYNC_DLQ_NAME = "edge-scim-sync-dlq";
/** The slow lane: tenants whose hub is timing out or erroring, one per invocation. */
export const SYNC_SLOW_QUEUE_NAME = "edge-scim-sync-slow";

/** Which queue a tenant's runs go through (sync_state.lane). */
export type SyncLane = "fast" | "slow";

/**
 * due: work that backed off falls due (a delayed message sent when the run finished); drift: run
 * the tenant's drift report (src/sync/admin/drift.ts), not a sync cycle.
 */
export const SyncReason = z.enum(["change", "cron", "continue", "manual", "due", "drift"]);
export type SyncReason = z.infer<typeof SyncReason>;

export const SyncMessage = z.object({
  tenantId: z.string().min(1).max(200),
  reason: SyncReason,
});
export type SyncMessage = z.infer<typeof SyncMessage>;

/** Queues refuses more per sendBatch call. */
export const MAX_SEND_BATCH = 100;
/** Queues refuses a longer delay (24 h). */
export const MAX_DELAY_SECONDS = 86_400;

export type SyncQueue = Queue<SyncMessage>;

export const clampDelay = (seconds: number) => Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(seconds)));

function queueOf(queue: SyncQueue | undefined): SyncQueue {
  if (!queue) throw new Error("SYNC_QUEUE binding missing ([[queues.producers]] in wrangler.toml)");
  return queue;
}

export async function sendSync(queue: SyncQueue | undefined, msg: SyncMessage, delaySeconds = 0): Promise<void> {
  await queueOf(queue).send(msg, { contentType: "json", ...(delaySeconds > 0 ? { delaySeconds: clampDelay(delaySeconds) } : {}) });
}

/** One message per tenant, in sendBatch calls of ≤ 100. */
export async function sendSyncBatch(queue: SyncQueue | undefined, tenantIds: string[], reason: SyncReason): Promise<void> {
  const q = queueOf(queue);
  for (let i = 0; i < tenantIds.length; i += MAX_SEND_BATCH) {
    const page = tenantIds.slice(i, i + MAX_SEND_BATCH);
    await q.sendBatch(page.map((tenantId) => ({ body: { tenantId, reason }, contentType: "json" as const })));
  }
}

/** The queue of a lane; the slow lane falls back to the main queue when it is not bound. */
export const queueOfLane = (env: { SYNC_QUEUE?: SyncQueue; SYNC_SLOW_QUEUE?: SyncQueue }, lane: SyncLane): SyncQueue | undefined =>
  lane === "slow" && env.SYNC_SLOW_QUEUE ? env.SYNC_SLOW_QUEUE : env.SYNC_QUEUE;
