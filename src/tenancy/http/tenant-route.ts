// Puts a request on one tenant's shard: the directory's placement, then `db` and `shard` in the
// context. Used by every route of one tenant (admin-tenant-shard) and by tenant credentials,
// whose rows (setup links, portal sessions, API tokens) live on the tenant's shard with its data.
import { placementOf } from "../storage/placement";
import { isShard, shardDb } from "../../platform/d1/shards";
import type { Bindings } from "../../config";
import type { Db } from "../../platform/d1/db";

/** The shard of this deployment the tenant is placed on (its database and binding name), if any. */
export async function tenantShardOf(env: Bindings, directory: Db, tenantId: string): Promise<{ db: Db; shard: string } | undefined> {
  const shard = await placementOf(directory, tenantId);
  if (!shard || !isShard(env, shard)) return undefined;
  return { db: shardDb(env, shard), shard };
}

/**
 * The part of a request context routing reads and writes. Any surface's context is one (the
 * portal's narrows `principal`, which makes it no Context<AppEnv>, but it still sets `db` and
 * `shard` as every surface does).
 */
export interface ShardRoutable {
  env: Bindings;
  get(key: "directory"): Db;
  set(key: "db", value: Db): void;
  set(key: "shard", value: string): void;
}

/** True when the tenant is placed on a shard of this deployment (the request now runs there). */
export async function routeToTenantShard(c: ShardRoutable, tenantId: string): Promise<boolean> {
  const placed = await tenantShardOf(c.env, c.get("directory"), tenantId);
  if (!placed) return false;
  c.set("db", placed.db);
  c.set("shard", placed.shard);
  return true;
}
