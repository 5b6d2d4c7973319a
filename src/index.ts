// Worker entry: fetch (HTTP), scheduled (the sync's scheduler and safety net) and queue (the
// sync's consumer and its dead-letter queue). Nothing else lives here.
import { parseConfig, type Bindings } from "./config";
import { createApp } from "./http/app";
import { normalizeScimUrl } from "./http/normalize-url";
import { createLogger } from "./lib/log";
import { pruneAudit } from "./storage/audit";
import { createDb } from "./storage/db";
import { runTenantPurges } from "./storage/tenant-purge";
import { runTenantMoves } from "./storage/tenant-move/advance";
import { dispatchDueTenants } from "./sync/dispatch";
import { SYNC_DLQ_NAME } from "./sync/messages";
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
  try {
    const report = await dispatchDueTenants(env, createDb(env.DB), new Date().toISOString());
    log.info("sync messages dispatched", { ...report });
  } catch (e) {
    // The tenants stay due: the next tick sends their messages. Housekeeping still runs.
    log.error("sync dispatch failed", { error: String((e as Error)?.message ?? e).slice(0, 200) });
  }
  // No tenant runs here (an empty list): only the housekeeping that belongs to no tenant.
  await runReconcile(env, { tenantIds: [], log });
}

export default {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    return app.fetch(normalizeScimUrl(request), env, ctx);
  },
  async scheduled(_controller: ScheduledController, env: Bindings, _ctx: ExecutionContext) {
    await scheduledSync(env);
    // Audit retention: bounded chunks per run; a backlog drains over the next runs.
    const days = parseConfig(env).auditRetentionDays;
    const db = createDb(env.DB);
    await pruneAudit(db, new Date(Date.now() - days * 86_400_000).toISOString());
    // Offboarded tenants: their rows go in bounded rounds; a large tenant continues next run.
    await runTenantPurges(db, new Date().toISOString());
    // Tenant moves between shards: a bounded number of copy/replay/purge steps per run.
    await runTenantMoves(env);
  },
  async queue(batch: MessageBatch<unknown>, env: Bindings, _ctx: ExecutionContext) {
    const log = createLogger({ job: "device-hub-sync", queue: batch.queue });
    if (batch.queue === SYNC_DLQ_NAME) await consumeDeadLetters(batch, env, log);
    else await consumeSyncBatch(batch, env, log);
  },
} satisfies ExportedHandler<Bindings>;
