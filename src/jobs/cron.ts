// What the cron trigger runs, in order, each a named job with its own logger. The order matters:
// the sync's messages go out first (they are what a waiting customer sees), housekeeping and moves
// follow within the same invocation.
import { parseConfig, type Bindings } from "../config";
import { createLogger, type Logger } from "../platform/log";
import { dispatchAllShards } from "../sync/queue/dispatch";
import { runReconcile, runSyncHousekeeping } from "../sync/engine/reconcile";
import { runTenantMoves } from "../tenancy/move/advance";
import { runShardHousekeeping } from "./shard-housekeeping";

interface CronJob {
  name: string;
  run(env: Bindings, log: Logger): Promise<void>;
}

/** One queue message per due tenant; without the queue binding the tick runs them itself. */
const syncDispatch: CronJob = {
  name: "device-hub-sync",
  async run(env, log) {
    if (!env.SYNC_QUEUE) {
      await runReconcile(env, { log });
      return;
    }
    // A shard that fails keeps its tenants due: the next tick sends their messages.
    const report = await dispatchAllShards(env, new Date().toISOString(), log);
    log.info("sync messages dispatched", { ...report });
    await runSyncHousekeeping(env, { log });
  },
};

/** Per shard: audit retention and offboarded tenants' purges (bounded; a backlog drains over the
 * next runs), then every shard's size into the directory for placement. */
const housekeeping: CronJob = {
  name: "housekeeping",
  run: (env, log) => runShardHousekeeping(env, parseConfig(env).auditRetentionDays, log),
};

/** Tenant moves between shards: a bounded number of copy/replay/purge steps per run. */
const tenantMoves: CronJob = {
  name: "tenant-moves",
  async run(env, log) {
    await runTenantMoves(env, log);
  },
};

export const CRON_JOBS: readonly CronJob[] = [syncDispatch, housekeeping, tenantMoves];

/** The scheduled handler: every job in order (a job that throws fails the invocation, as before). */
export async function runCron(env: Bindings): Promise<void> {
  for (const job of CRON_JOBS) await job.run(env, createLogger({ job: job.name }));
}
