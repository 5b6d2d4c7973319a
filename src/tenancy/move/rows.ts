// Reading a table's rows for one tenant in keyset chunks, and writing them to another database:
// each statement binds at most a handful of parameters, whatever the chunk holds (the rows and
// keys travel as one JSON parameter, unpacked by json_each), so D1's 100-parameter cap never bites.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";
import { numberedAnew, type KeyedTable, type MovedTable } from "./tables";

export type Row = Record<string, unknown>;

const ident = (name: string) => sql.raw(`"${name}"`);
const idents = (names: string[]) => sql.raw(names.map((n) => `"${n}"`).join(", "));

/** The key a chunk ends on, as the row it came from spells it. */
export const keyOf = (table: MovedTable, row: Row): unknown[] =>
  table.kind === "keyed" ? table.key.map((c) => row[c]) : [row[table.seq]];

const keyColumns = (table: MovedTable) => (table.kind === "keyed" ? table.key : [table.seq]);

/** The next `limit` rows of `table` past `after` (null: from the start), in key order. */
export function readChunk(db: Db, table: MovedTable, tenantId: string, after: unknown[] | null, limit: number) {
  const cols = keyColumns(table);
  const past: SQL = after && cols.length > 0
    ? sql` AND (${idents(cols)}) > (${sql.join(after.map((v) => sql`${v}`), sql`, `)})`
    : sql``;
  const order = cols.length > 0 ? sql` ORDER BY ${idents(cols)}` : sql``;
  return allSql<Row>(db, sql`SELECT * FROM ${ident(table.name)} WHERE tenant_id = ${tenantId}${past}${order} LIMIT ${limit}`);
}

/** Keys as the json_each rows of one bound JSON array, matched as a row value. */
function keyMatch(table: KeyedTable, keys: unknown[][]): SQL {
  if (table.key.length === 0) return sql``;
  const parts = table.key.map((_, i) => sql.raw(`json_extract(value, '$[${i}]')`));
  return sql` AND (${idents(table.key)}) IN (SELECT ${sql.join(parts, sql`, `)} FROM json_each(${JSON.stringify(keys)}))`;
}

/** Delete the destination's rows with these keys (the copy and the replay then insert afresh). */
export const deleteKeys = (db: Db, table: KeyedTable, tenantId: string, keys: unknown[][]) =>
  runSql(db, sql`DELETE FROM ${ident(table.name)} WHERE tenant_id = ${tenantId}${keyMatch(table, keys)}`);

/** Bytes of JSON per insert statement: a chunk of large documents becomes several statements. */
const MAX_JSON_BYTES = 400_000;

function splitBySize(rows: Row[]): Row[][] {
  const parts: Row[][] = [];
  let part: Row[] = [];
  let size = 0;
  for (const row of rows) {
    const bytes = JSON.stringify(row).length;
    if (part.length > 0 && size + bytes > MAX_JSON_BYTES) {
      parts.push(part);
      part = [];
      size = 0;
    }
    part.push(row);
    size += bytes;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/** INSERT statements for `rows` (all from one table); a column the destination numbers anew is left out. */
export function insertRows(db: Db, table: MovedTable, rows: Row[]) {
  const first = rows[0];
  if (!first) return [];
  const anew = numberedAnew(table);
  const columns = Object.keys(first).filter((c) => c !== anew);
  const values = sql.raw(columns.map((c) => `json_extract(value, '$."${c}"')`).join(", "));
  return splitBySize(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])))).map((part) =>
    runSql(db, sql`INSERT INTO ${ident(table.name)} (${idents(columns)}) SELECT ${values} FROM json_each(${JSON.stringify(part)})`),
  );
}
