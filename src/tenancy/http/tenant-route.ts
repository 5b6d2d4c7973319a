// Puts a request on one tenant's shard: the directory's placement, then `db` and `shard` in the
// context. Used by every route of one tenant (admin-tenant-shard) and by tenant credentials,
// whose rows (setup links, portal sessions, API tokens) live on the tenant's shard with its data.
import type { Context } from "hono";
import { placementOf } from "../storage/placement";
import { isShard, shardDb } from "../../platform/d1/shards";
import type { AppEnv } from "../../http/context";

/** True when the tenant is placed on a shard of this deployment (the request now runs there). */
export async function routeToTenantShard(c: Context<AppEnv>, tenantId: string): Promise<boolean> {
  const shard = await placementOf(c.get("directory"), tenantId);
  if (!shard || !isShard(c.env, shard)) return false;
  c.set("db", shardDb(c.env, shard));
  c.set("shard", shard);
  return true;
}
