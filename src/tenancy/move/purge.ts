// Dropping one side's copy of a moved tenant in bounded rounds: the source after the switch, or
// the destination when a move is cancelled. On the source, each round's batch opens with the gate
// set to "purging" and closes with it back on "moved": inside the batch the delete triggers let the
// rows go unjournaled, outside it every write to the tenant is still refused.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { runSql } from "../../platform/d1/raw-sql";
import { runParts } from "../../platform/d1/batch";
import { MOVED_TABLES } from "./tables";

/** Rows per table per round. */
export const PURGE_CHUNK = 500;

const ident = (name: string) => sql.raw(`"${name}"`);

/** One round over every moved table; returns the rows deleted (0: nothing left). */
export async function purgeRound(db: Db, tenantId: string, chunk = PURGE_CHUNK): Promise<number> {
  const gate = (state: string) =>
    runSql(db, sql`UPDATE tenant_moving SET state = ${state} WHERE tenant_id = ${tenantId} AND role = 'source' AND state IN ('moved', 'purging')`);
  const deletes = MOVED_TABLES.map((t) =>
    runSql(db, sql`DELETE FROM ${ident(t.name)} WHERE rowid IN
      (SELECT rowid FROM ${ident(t.name)} WHERE tenant_id = ${tenantId} LIMIT ${chunk})`),
  );
  const results = await runParts(db, { purging: gate("purging"), deletes, moved: gate("moved") });
  return results.deletes.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
}

/** The shard's tenants row goes last (the directory keeps only the placement of a tenant placed elsewhere). */
export const dropTenantRow = (db: Db, tenantId: string) => runSql(db, sql`DELETE FROM tenants WHERE id = ${tenantId}`);

/** The destination needs the tenants row before the copy (scim_clients refers to it). */
export const copyTenantRow = (dest: Db, row: { id: string; name: string; createdAt: string; state: string; deletedAt: string | null }) =>
  runSql(dest, sql`INSERT INTO tenants (id, name, created_at, state, deleted_at)
    VALUES (${row.id}, ${row.name}, ${row.createdAt}, ${row.state}, ${row.deletedAt}) ON CONFLICT (id) DO UPDATE SET name = excluded.name, state = excluded.state, deleted_at = excluded.deleted_at`);
