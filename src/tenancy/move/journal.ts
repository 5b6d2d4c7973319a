// Replaying the source's journal: the keys of the tenant's rows written since the copy began. A
// step reads a window of entries together with each key's current source row (one batch: a LEFT
// JOIN per table, so a deleted row reads as absent), then deletes those keys on the destination
// and inserts the rows that still exist (one batch, with the cursor).
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql } from "../../platform/d1/raw-sql";
import { runParts } from "../../platform/d1/batch";
import type { MoveDbs } from "./copy";
import { advanceStatements, destinationBatch, type Progress } from "./progress";
import { deleteKeys, insertRows, type Row } from "./rows";
import { KEYED_TABLES, type KeyedTable } from "./tables";

/** Journal entries per step: a step's batch deletes and inserts at most this many rows. */
export const JOURNAL_CHUNK = 200;

const ident = (name: string) => sql.raw(`"${name}"`);

/** The last seq of the window of `limit` entries past `after`. */
const windowEnd = (tenantId: string, after: number, limit: number) =>
  sql`(SELECT max(seq) FROM (SELECT seq FROM tenant_move_journal WHERE tenant_id = ${tenantId} AND seq > ${after} ORDER BY seq LIMIT ${limit}))`;

function rowsForKeys(db: Db, table: KeyedTable, tenantId: string, after: number, limit: number) {
  const on = table.key.map((c, i) => sql` AND t.${ident(c)} = json_extract(j.k, ${`$[${i}]`})`);
  return allSql<Row & { move_key: string }>(db, sql`SELECT j.k AS move_key, t.* FROM
    (SELECT DISTINCT k FROM tenant_move_journal WHERE tenant_id = ${tenantId} AND tbl = ${table.name}
      AND seq > ${after} AND seq <= ${windowEnd(tenantId, after, limit)}) j
    LEFT JOIN ${ident(table.name)} t ON t.tenant_id = ${tenantId}${sql.join(on, sql``)}`);
}

/** Entries not yet replayed (a bounded count: the switch waits until it is small). */
export async function journalBacklog(source: Db, tenantId: string, after: number, cap: number): Promise<number> {
  const [row] = await allSql<{ n: number }>(source, sql`SELECT count(*) AS n FROM
    (SELECT 1 FROM tenant_move_journal WHERE tenant_id = ${tenantId} AND seq > ${after} LIMIT ${cap})`);
  return row?.n ?? 0;
}

/** Replay the next window; returns the new cursor and the entries it covered (0: caught up). */
export async function replayStep(dbs: MoveDbs, from: Progress, now: string, limit = JOURNAL_CHUNK): Promise<{ progress: Progress; entries: number }> {
  const { source, dest, tenantId, moveId } = dbs;
  const head = allSql<{ upper: number | null; n: number }>(source, sql`SELECT max(seq) AS upper, count(*) AS n FROM
    (SELECT seq FROM tenant_move_journal WHERE tenant_id = ${tenantId} AND seq > ${from.journal} ORDER BY seq LIMIT ${limit})`);
  const reads = KEYED_TABLES.map((t) => rowsForKeys(source, t, tenantId, from.journal, limit));
  const { window, perTable } = await runParts(source, { window: head, perTable: reads });
  const { upper, n } = window[0] ?? { upper: null, n: 0 };
  if (!upper || n === 0) return { progress: from, entries: 0 };
  const writes = KEYED_TABLES.flatMap((table, i) => {
    const found = perTable[i] ?? [];
    if (found.length === 0) return [];
    const keys = found.map((r) => JSON.parse(r.move_key) as unknown[]);
    const present = found.filter((r) => r.tenant_id !== null).map(({ move_key: _k, ...row }) => row);
    return [deleteKeys(dest, table, tenantId, keys), ...insertRows(dest, table, present)];
  });
  const to: Progress = { ...from, journal: upper, replayed: from.replayed + n };
  await destinationBatch(dest, [...advanceStatements(dest, tenantId, moveId, from, to, now), ...writes]);
  return { progress: to, entries: n };
}
