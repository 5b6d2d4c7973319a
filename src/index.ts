// Worker entry: fetch (HTTP), scheduled (the sync's scheduler and safety net) and queue (the
// sync's consumer and its dead-letter queue, and the tenant-move queue). Nothing else lives here.
import { parseConfig, type Bindings } from "./config";
import { createApp } from "./http/app";
import { normalizeScimUrl } from "./http/normalize-url";
import { createLogger } from "./lib/log";
import { runShardHousekeeping } from "./storage/shard-housekeeping";
import { dispatchAllShards } from "./sync/dispatch";
import { runTenantMoves } from "./storage/tenant-move/advance";
import { consumeMoveBatch } from "./storage/tenant-move/consumer";
import { MOVE_QUEUE_NAME } from "./storage/tenant-move/hand-on";
import { SYNC_DLQ_NAME, SYNC_SLOW_QUEUE_NAME } from "./sync/messages";
import { consumeDeadLetters, consumeSyncBatch } from "./sync/queue-consumer";
import { runReconcile } from "./sync/reconcile";

const app = createApp();

/** The cron tick: one queue message per due tenant, then deployment-wide housekeeping. */
async function scheduledSync(env: Bindings): Promise<void> {
  const log = createLogger({ job: "device-hub-sync" });
  if (!env.SYNC_QUEUE) {
    // A deployment without the queue binding: the tick runs the due tenants itself, as before.
    await runReconcile(env, { log });
    return;
  }
  // A shard that fails keeps its tenants due: the next tick sends their messages.
  const report = await dispatchAllShards(env, new Date().toISOString(), log);
  log.info("sync messages dispatched", { ...report });
  // No tenant runs here (an empty list): only the housekeeping that belongs to no tenant.
  await runReconcile(env, { tenantIds: [], log });
}

export default {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    return app.fetch(normalizeScimUrl(request), env, ctx);
  },
  async scheduled(_controller: ScheduledController, env: Bindings, _ctx: ExecutionContext) {
    await scheduledSync(env);
    // Per shard: audit retention and offboarded tenants' purges (bounded; a backlog drains over
    // the next runs), then every shard's size into the directory for placement.
    await runShardHousekeeping(env, parseConfig(env).auditRetentionDays, createLogger({ job: "housekeeping" }));
    // Tenant moves between shards: a bounded number of copy/replay/purge steps per run.
    await runTenantMoves(env, createLogger({ job: "tenant-moves" }));
  },
  async queue(batch: MessageBatch<unknown>, env: Bindings, _ctx: ExecutionContext) {
    if (batch.queue === MOVE_QUEUE_NAME) return consumeMoveBatch(batch, env, createLogger({ job: "tenant-moves", queue: batch.queue }));
    const log = createLogger({ job: "device-hub-sync", queue: batch.queue });
    if (batch.queue === SYNC_DLQ_NAME) await consumeDeadLetters(batch, env, log);
    else await consumeSyncBatch(batch, env, log, {}, batch.queue === SYNC_SLOW_QUEUE_NAME ? "slow" : "fast");
  },
} satisfies ExportedHandler<Bindings>;
