// Each shard's size as D1 reports it, refreshed by the cron into the directory's shard_stats, and
// the per-shard load that placement and GET /admin/v1/shards read.
import type { Bindings } from "../../config";
import type { Db } from "../../platform/d1/db";
import { tenantCounts, type ShardLoad } from "./placement";
import { shardD1, shardNames } from "../../platform/d1/shards";
import { shardStats } from "../../platform/schema/tables";

/**
 * The database's size in bytes. D1 reports it in every result's `meta.size_after` (Miniflare's
 * local D1 too, computed the same way: page_count × page_size of the SQLite file), so one cheap
 * read gives it; no PRAGMA needed (D1 refuses most PRAGMAs).
 */
export async function measureShard(d1: D1Database): Promise<number> {
  const result = await d1.prepare("SELECT 1").run();
  return Number((result.meta as { size_after?: number }).size_after ?? 0);
}

/** The cron: measure every shard (one read each) and record the sizes in the directory. */
export async function refreshShardStats(env: Bindings, directory: Db, now: string): Promise<void> {
  const names = shardNames(env);
  const sizes = await Promise.all(names.map((name) => measureShard(shardD1(env, name))));
  const [first, ...rest] = names.map((shard, i) =>
    directory
      .insert(shardStats)
      .values({ shard, sizeBytes: sizes[i]!, refreshedAt: now })
      .onConflictDoUpdate({ target: shardStats.shard, set: { sizeBytes: sizes[i]!, refreshedAt: now } }),
  );
  if (first) await directory.batch([first, ...rest]);
}

/** Every bound shard with its last measured size (0 until the cron measured it) and tenant count. */
export async function shardLoads(env: Bindings, directory: Db): Promise<(ShardLoad & { refreshedAt: string | null })[]> {
  const [stats, counts] = await Promise.all([directory.select().from(shardStats), tenantCounts(directory)]);
  const byShard = new Map(stats.map((s) => [s.shard, s]));
  return shardNames(env).map((shard) => ({
    shard,
    sizeBytes: byShard.get(shard)?.sizeBytes ?? 0,
    refreshedAt: byShard.get(shard)?.refreshedAt ?? null,
    tenants: counts.get(shard) ?? 0,
  }));
}
