// A SCIM resource as a users/groups row and back: both tables share the key, the version, the
// times and the document (src/platform/schema/tables.ts); each adds the attributes it indexes.
import { sql } from "drizzle-orm";
import type { ResourceTypeName } from "../schema/attribute";
import type { StoredResource } from "../store";
import { groupsJsonColumn } from "./user-groups";

/** The fields of a row every resource table has, as the store returns them. */
export const toStoredResource = (r: StoredResource): StoredResource => ({
  id: r.id,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  doc: r.doc,
});

/** The same fields read with raw SQL (snake_case columns, the document as JSON text). */
export interface StoredResourceRow {
  id: string;
  version: number;
  created_at: string;
  updated_at: string;
  doc: string;
}

/** Columns a unique index covers after tenant_id (the primary key, users_user_name_uq, groups_display_name_uq). */
export type UniqueColumn = "id" | "user_name_lc" | "display_name_lc";

/**
 * The row a unique column names (`id`, `user_name_lc`, `display_name_lc`), its five stored fields
 * in plain SQL, and for a user its groups as `groups_json` when asked (one statement either way).
 */
export function rowByUniqueColumn(type: ResourceTypeName, tenantId: string, column: UniqueColumn, value: string, withGroups = false) {
  const table = sql.raw(type === "User" ? "users u" : "groups u");
  const groups = withGroups && type === "User" ? sql`, ${groupsJsonColumn}` : sql``;
  return sql`SELECT u.id, u.version, u.created_at, u.updated_at, u.doc${groups} FROM ${table} WHERE u.tenant_id = ${tenantId} AND u.${sql.raw(column)} = ${value}`;
}

export const storedResourceOf = (r: StoredResourceRow): StoredResource => ({
  id: r.id,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  doc: JSON.parse(r.doc) as Record<string, unknown>,
});

/** The insert row of a new resource: its key, the columns it indexes, then its stored fields. */
export const newResourceRow = <C extends object>(tenantId: string, r: StoredResource, indexed: C) => ({
  tenantId,
  id: r.id,
  ...indexed,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  doc: r.doc,
});
