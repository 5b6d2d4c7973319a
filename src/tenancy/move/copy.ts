// One copy step: the next chunk of the current table, read from the source in one statement and
// written to the destination in one batch together with the advanced cursor.
import type { Db } from "../../platform/d1/db";
import { advanceStatements, destinationBatch, type Progress } from "./progress";
import { deleteKeys, insertRows, keyOf, readChunk, type Row } from "./rows";
import { MOVED_TABLES, type MovedTable } from "./tables";

/** Rows per chunk: a few hundred KB of documents at most, well inside one invocation's limits. */
export const COPY_CHUNK = 200;

export interface MoveDbs {
  source: Db;
  dest: Db;
  tenantId: string;
  moveId: string;
}

/** The destination batch that lands `rows` of `table` and moves the cursor to `to`. */
export async function landRows(dbs: MoveDbs, table: MovedTable, rows: Row[], from: Progress, to: Progress, now: string) {
  const { dest, tenantId, moveId } = dbs;
  const writes = rows.length === 0 ? [] : [
    // A keyed row the replay already brought over is replaced, not duplicated.
    ...(table.kind === "keyed" ? [deleteKeys(dest, table, tenantId, rows.map((r) => keyOf(table, r)))] : []),
    ...insertRows(dest, table, rows),
  ];
  await destinationBatch(dest, [...advanceStatements(dest, tenantId, moveId, from, to, now), ...writes]);
}

/** Copy the next chunk; returns the new cursor (its `table` past the end: the copy is through). */
export async function copyStep(dbs: MoveDbs, from: Progress, now: string, chunk = COPY_CHUNK): Promise<Progress> {
  const table = MOVED_TABLES[from.table];
  if (!table) return from;
  const rows = await readChunk(dbs.source, table, dbs.tenantId, from.after, chunk);
  const last = rows.at(-1);
  const through = rows.length < chunk;
  const tails = table.kind === "appended" && last ? { ...from.tails, [table.name]: Number(last[table.seq]) } : from.tails;
  const to: Progress = {
    ...from,
    table: through ? from.table + 1 : from.table,
    after: through ? null : keyOf(table, last!),
    tails,
    copied: from.copied + rows.length,
  };
  await landRows(dbs, table, rows, from, to, now);
  return to;
}

/** Appended rows written since their table was copied (the final switch calls this until none). */
export async function copyTailStep(dbs: MoveDbs, from: Progress, now: string, chunk = COPY_CHUNK): Promise<{ progress: Progress; rows: number }> {
  for (const table of MOVED_TABLES) {
    if (table.kind !== "appended") continue;
    const rows = await readChunk(dbs.source, table, dbs.tenantId, [from.tails[table.name] ?? 0], chunk);
    const last = rows.at(-1);
    if (!last) continue;
    const to: Progress = { ...from, tails: { ...from.tails, [table.name]: Number(last[table.seq]) }, copied: from.copied + rows.length };
    await landRows(dbs, table, rows, from, to, now);
    return { progress: to, rows: rows.length };
  }
  return { progress: from, rows: 0 };
}
