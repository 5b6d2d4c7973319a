// Raw SQL statements that also work inside db.batch(), for every storage module: drizzle-orm
// 0.45's D1 batch binds parameters through `preparedQuery.stmt`, which its raw db.run()/db.all()
// objects lack ("Cannot read properties of undefined (reading 'bind')"). We attach the statement.
import type { SQL } from "drizzle-orm";
import type { Db } from "./db";

function withStatement<T extends { getQuery(): { sql: string } }>(db: Db, raw: T): T {
  // drizzle() sets $client on every database it creates; its D1 type omits it.
  const client = (db as unknown as { $client: D1Database }).$client;
  // Built once: drizzle's batch asks for the query again (its SQL → text walk is a visible share
  // of a lookup's CPU), and the statement never changes after this point.
  const built = raw.getQuery();
  return Object.assign(raw, { stmt: client.prepare(built.sql), getQuery: () => built });
}

/** A write statement (INSERT/UPDATE/DELETE); awaitable alone, or a batch item (D1Result). */
export const runSql = (db: Db, query: SQL) => withStatement(db, db.run(query));

/** A read statement; awaitable alone, or a batch item (rows). */
export const allSql = <T>(db: Db, query: SQL) => withStatement(db, db.all<T>(query));
