// drizzle over D1, and the mapping of D1 failures to ScimError (constraint → 409 uniqueness).
import { sql } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import type { BatchItem } from "drizzle-orm/batch";
import { ScimError, uniqueness } from "../../scim/errors";
import { runSql } from "./raw-sql";
import { constraintOf, uniqueColumnsOf } from "./batch";
import { isMoveRefusal, moveRefused } from "./move-refusal";

export type Db = DrizzleD1Database;

/**
 * No `schema` option: we write no relational queries (`db.query.*`), and with one drizzle() walks
 * every table's config on each call — a fifth of a lookup's CPU, since every request opens its
 * shard's database (bench/scim.mjs, profiled with BENCH_INSPECTOR_PORT).
 */
export const createDb = (d1: D1Database): Db => drizzle(d1);

/** Which unique index guards which SCIM attribute, for the 409 detail. */
const UNIQUE_ATTRIBUTE: Record<string, string> = {
  "users.user_name_lc": "userName",
  "groups.display_name_lc": "displayName",
};

/** The batch's optimistic-concurrency guard matched no row; the whole batch was rolled back. */
export class VersionConflict extends Error {
  constructor() {
    super("version conflict");
    this.name = "VersionConflict";
  }
}

/**
 * A batch statement that aborts the batch when the previous statement changed no row
 * (see batch_guards in tables.ts).
 */
export const abortUnlessChanged = (db: Db) => runSql(db, sql`INSERT INTO batch_guards (ok) SELECT 0 WHERE changes() = 0`);

/** The batch's revocation guard (token-gate.ts) found the token or client revoked; rolled back. */
export class TokenRevoked extends Error {
  constructor() {
    super("token revoked");
    this.name = "TokenRevoked";
  }
}

/** The write batch's shard guard found no row of the tenant on this shard; rolled back. */
export class TenantElsewhere extends Error {
  constructor() {
    super("tenant not on this shard");
    this.name = "TenantElsewhere";
  }
}

/** Map a D1/SQLite error to a ScimError where it is the client's doing; rethrow otherwise. */
export function mapDbError(err: unknown): never {
  const columns = uniqueColumnsOf(err);
  if (columns) {
    const attr = columns.map((c) => UNIQUE_ATTRIBUTE[c]).find(Boolean) ?? "a unique attribute";
    throw uniqueness(`${attr} is already in use in this tenant`);
  }
  switch (constraintOf(err)) {
    case "version_guard":
      throw new VersionConflict();
    case "token_revoked":
      throw new TokenRevoked();
    case "tenant_elsewhere":
      throw new TenantElsewhere();
    case "hub_user_name_taken":
      throw uniqueness("userName is already in use by a user of the connected Device Hub");
  }
  if (isMoveRefusal(err)) throw moveRefused(err);
  if (err instanceof ScimError) throw err;
  throw err;
}

/** Run statements as one atomic D1 batch (D1 has no interactive transactions). */
export async function runBatch<T extends [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]>(
  db: Db,
  statements: T,
) {
  try {
    return await db.batch(statements);
  } catch (err) {
    mapDbError(err);
  }
}

/** Run a guarded batch: true when it committed, false when its version guard rolled it back. */
export async function guarded(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (err) {
    if (err instanceof VersionConflict) return false;
    throw err;
  }
}
