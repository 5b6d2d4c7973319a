// Tests that look at (or seed) a tenant's rows directly: the database of the shard the directory
// places the tenant on. Tenants created through the admin API spread over DB and DB_1.
import { env } from "cloudflare:test";
import { createDb, type Db } from "../../src/platform/d1/db";
import { placementOf } from "../../src/tenancy/storage/placement";
import { directoryDb, shardD1 } from "../../src/platform/d1/shards";

/** The tenant's shard name ("DB", "DB_1"); throws when the directory does not know the tenant. */
export async function shardOf(tenantId: string): Promise<string> {
  const shard = await placementOf(directoryDb(env), tenantId);
  if (!shard) throw new Error(`tenant ${tenantId} has no placement`);
  return shard;
}

/** The raw D1 binding holding the tenant's rows. */
export const tenantD1 = async (tenantId: string): Promise<D1Database> => shardD1(env, await shardOf(tenantId));

/** The same, through drizzle (for storage functions). */
export const tenantDb = async (tenantId: string): Promise<Db> => createDb(await tenantD1(tenantId));

/** The shard that is not `shard` (tests run with exactly two). */
export const otherShard = (shard: string) => (shard === "DB" ? "DB_1" : "DB");
