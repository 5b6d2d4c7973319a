// Deployment-wide listings (every tenant, every expiring token): one query run on every shard.
import type { Bindings } from "../../config";
import type { Db } from "../../platform/d1/db";
import { listPlacements } from "./placement";
import { shardDb, shardNames } from "../../platform/d1/shards";

/**
 * `read` on every shard in parallel (one read each), each row tagged with its shard. Only rows of
 * tenants placed on that shard are kept: a move leaves the tenant's rows on its former shard until
 * their purge, and those must not be listed twice, nor from the shard that no longer serves them.
 */
export async function readPlacedRows<Row>(
  env: Bindings,
  directory: Db,
  read: (db: Db) => PromiseLike<Row[]>,
  tenantOf: (row: Row) => string,
): Promise<(Row & { shard: string })[]> {
  const placed = new Map((await listPlacements(directory)).map((p) => [p.tenantId, p.shard]));
  const perShard = await Promise.all(
    shardNames(env).map(async (shard) =>
      (await read(shardDb(env, shard))).filter((row) => placed.get(tenantOf(row)) === shard).map((row) => ({ ...row, shard })),
    ),
  );
  return perShard.flat();
}
