// Tenant and client rows across shards: written to the tenant's shard first and to the directory
// last, and the tenant list read from the directory's placements plus each shard's rows.
//
// Why the order is safe without a cross-database transaction: a tenant or a client becomes
// reachable only through its directory row (placement, client id), written last. A failure in
// between leaves a row on the shard that nothing routes to (the admin call answered 500, so no id
// or secret was handed out), never a directory row pointing at nothing. On the directory's own
// shard both rows go in one batch.
import type { BatchItem } from "drizzle-orm/batch";
import type { Bindings } from "../../config";
import { registerClient } from "../../access/port";
import type { Db } from "../../platform/d1/db";
import { readPlacedRows } from "./across-shards";
import { setPlacement } from "./placement";
import { DIRECTORY_SHARD } from "../../platform/d1/shards";
import { insertClient, insertTenant, listTenants, type TenantRow } from "./tenants";
import type { scimClients } from "../../platform/schema/tables";

/** A tenant's database and the name of its shard. */
export interface ShardDb {
  shard: string;
  db: Db;
}

async function shardThenDirectory(where: ShardDb, directory: Db, onShard: BatchItem<"sqlite">, inDirectory: BatchItem<"sqlite">) {
  if (where.shard === DIRECTORY_SHARD) {
    await directory.batch([onShard, inDirectory]);
    return;
  }
  await onShard;
  await inDirectory;
}

export const createTenant = (where: ShardDb, directory: Db, row: TenantRow) =>
  shardThenDirectory(where, directory, insertTenant(where.db, row), setPlacement(directory, row.id, where.shard));

export const createClient = (where: ShardDb, directory: Db, row: typeof scimClients.$inferInsert) =>
  shardThenDirectory(where, directory, insertClient(where.db, row), registerClient(directory, row.clientId, row.tenantId));

/** Every tenant with its shard, oldest first (rows a move left behind are not listed). */
export async function listAllTenants(env: Bindings, directory: Db): Promise<(TenantRow & { shard: string })[]> {
  const rows = await readPlacedRows(env, directory, listTenants, (t) => t.id);
  return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
