// The cron's deployment-wide housekeeping, shard by shard: audit retention and the purges of
// offboarded tenants (each bounded per shard and per run), then the shard sizes placement reads.
// A shard that fails is logged and retried next run; the others still get their turn.
import type { Bindings } from "../config";
import { errorText, type Logger } from "../platform/log";
import { pruneAudit } from "../audit/storage";
import { refreshShardStats } from "../tenancy/storage/shard-stats";
import { directoryDb, shardDb, shardNames } from "../platform/d1/shards";
import { runTenantPurges } from "../tenancy/storage/tenant-purge";

/** Wall-clock budget of all shards' purges in one run (the cron invocation has 15 minutes). */
const PURGE_BUDGET_MS = 10_000;

export async function runShardHousekeeping(env: Bindings, auditRetentionDays: number, log: Logger): Promise<void> {
  const now = new Date();
  const shards = shardNames(env);
  const before = new Date(now.getTime() - auditRetentionDays * 86_400_000).toISOString();
  for (const shard of shards) {
    try {
      const db = shardDb(env, shard);
      await pruneAudit(db, before);
      await runTenantPurges(db, now.toISOString(), { budgetMs: Math.ceil(PURGE_BUDGET_MS / shards.length) });
    } catch (e) {
      log.error("housekeeping failed on a shard", { shard, error: errorText(e) });
    }
  }
  try {
    await refreshShardStats(env, directoryDb(env), now.toISOString());
  } catch (e) {
    log.error("shard size refresh failed", { error: errorText(e) });
  }
}
