// Raw SQL statements that also work inside db.batch(), for every storage module: drizzle-orm
// 0.45's D1 batch binds parameters through `preparedQuery.stmt`, which its raw db.run()/db.all()
// objects lack ("Cannot read properties of undefined (reading 'bind')"). We attach the statement.
import type { SQL } from "drizzle-orm";
import type { Db } from "./db";

function withStatement<T extends { getQuery(): { sql: string } }>(db: Db, raw: T): T {
  // drizzle() sets $client on every database it creates; its D1 type omits it.
  const client = (db as unknown as { $client: D1Database }).$client;
  const stmt = client.prepare(raw.getQuery().sql);
  return Object.assign(raw, { stmt });
}

/** A write statement (INSERT/UPDATE/DELETE); awaitable alone, or a batch item (D1Result). */
export const runSql = (db: Db, query: SQL) => withStatement(db, db.run(query));

/** A read statement; awaitable alone, or a batch item (rows). */
export const allSql = <T>(db: Db, query: SQL) => withStatement(db, db.all<T>(query));
