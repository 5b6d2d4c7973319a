// A SCIM resource as a users/groups row and back: both tables share the key, the version, the
// times and the document (src/platform/schema/tables.ts); each adds the attributes it indexes.
import type { StoredResource } from "../store";

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
