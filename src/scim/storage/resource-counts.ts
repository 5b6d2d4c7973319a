// The tenant's maintained number of users or groups (resource_counts, migration 0017, kept by
// triggers) and the stamp list walks check their remembered state against (list-walk.ts).
import { sql } from "drizzle-orm";
import type { ResourceTypeName } from "../schema/attribute";
import type { Db } from "../../platform/d1/db";
import { allSql } from "../../platform/d1/raw-sql";

export type StampRow = { n: number; gen: number; touched: string | null };

/**
 * One row, a few rows read: the count, its generation (changes on every insert and delete), and
 * the newest updated_at (an index seek on *_updated_idx; changes on updates too).
 */
export function stampStatement(db: Db, tenantId: string, type: ResourceTypeName) {
  const table = sql.raw(type === "User" ? "users" : "groups");
  return allSql<StampRow>(db, sql`SELECT coalesce(c.n, 0) AS n, coalesce(c.gen, 0) AS gen,
      (SELECT max(updated_at) FROM ${table} WHERE tenant_id = ${tenantId}) AS touched
    FROM (SELECT 1) one LEFT JOIN resource_counts c ON c.tenant_id = ${tenantId} AND c.resource_type = ${type}`);
}

/**
 * What a remembered position or total depends on: inserts and deletes for an id-ordered
 * unfiltered list; any write for a filtered or sorted one (an update can move a row in or out).
 */
export function stampOf(row: StampRow | undefined, withUpdates: boolean): string {
  const r = row ?? { n: 0, gen: 0, touched: null };
  return withUpdates ? `${r.n}:${r.gen}:${r.touched ?? ""}` : `${r.n}:${r.gen}`;
}

/**
 * A predicate that is true only while the tenant's stamp is still `stamp` (stampOf in SQL). It
 * names no outer column, so SQLite tests it once before the loop: a page read from a remembered
 * position that no longer holds reads no row of its own, and only the retry walks the distance.
 */
export function stampGuard(tenantId: string, type: ResourceTypeName, withUpdates: boolean, stamp: string) {
  const table = sql.raw(type === "User" ? "users" : "groups");
  const counts = sql`(SELECT coalesce(max(n), 0) || ':' || coalesce(max(gen), 0) FROM resource_counts WHERE tenant_id = ${tenantId} AND resource_type = ${type})`;
  const current = withUpdates
    ? sql`${counts} || ':' || coalesce((SELECT max(updated_at) FROM ${table} WHERE tenant_id = ${tenantId}), '')`
    : counts;
  return sql`(${current}) = ${stamp}`;
}

/** Tenants up to this size may use substring fragments shorter than a trigram (they scan). */
export const SHORT_SUBSTRING_MAX_ROWS = 5000;

/** A predicate that is false (before any row is read: it names no table) when the tenant is larger. */
export function smallTenantGuard(tenantId: string, type: ResourceTypeName) {
  return sql`(SELECT coalesce(max(n), 0) FROM resource_counts WHERE tenant_id = ${tenantId} AND resource_type = ${type}) <= ${SHORT_SUBSTRING_MAX_ROWS}`;
}
