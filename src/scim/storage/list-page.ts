// List pages for /Users and /Groups: the filter compiled to SQL, sorting with a stable id
// tie-break, startIndex/count or keyset (cursor) paging, and totalResults from the same filter —
// one D1 batch.
import { sql, type SQL } from "drizzle-orm";
import type { ResourceTypeName } from "../schema/attribute";
import type { SchemaRegistry } from "../schema/registry";
import type { ListPage, ListQuery } from "../store";
import { compileFilter, sortExpression } from "./filter-sql";
import type { Db } from "../../platform/d1/db";
import type { TokenGate } from "../../access/port";
import { allSql } from "../../platform/d1/raw-sql";
import { groupRefs, type GroupRow } from "./user-groups";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { invalidValue, ScimError } from "../errors";

type Row = { id: string; version: number; created_at: string; updated_at: string; doc: string };

export async function listPage(db: Db, gate: TokenGate, tenantId: string, type: ResourceTypeName, q: ListQuery, schemas: SchemaRegistry): Promise<ListPage> {
  const table = sql.raw(type === "User" ? "users" : "groups");
  const alias: "u" | "g" = type === "User" ? "u" : "g";
  const where = q.filter
    ? sql`${sql.raw(alias)}.tenant_id = ${tenantId} AND (${compileFilter(q.filter, type, { table: alias }, schemas)})`
    : sql`${sql.raw(alias)}.tenant_id = ${tenantId}`;
  const keyset = q.afterId !== undefined;
  const pageWhere = keyset && q.afterId ? sql`${where} AND ${sql.raw(alias)}.id > ${q.afterId}` : where;
  const direction = sql.raw(q.sortOrder === "descending" ? "DESC" : "ASC");
  const order = q.sortBy
    ? sql`${sortByOrInvalid(type, alias, q.sortBy, schemas)} ${direction} NULLS LAST, ${sql.raw(alias)}.id ${direction}`
    : sql`${sql.raw(alias)}.id ASC`;
  const countQuery = allSql<{ n: number }>(db, sql`SELECT count(*) AS n FROM ${table} ${sql.raw(alias)} WHERE ${where}`);
  if (q.count === 0) {
    const [counted] = (await gate.read([countQuery])) as [{ n: number }[]];
    const n = counted[0]?.n ?? 0;
    return { totalResults: n, rows: [] };
  }
  const pageQuery = allSql<Row>(db, sql`
    SELECT ${sql.raw(alias)}.id, ${sql.raw(alias)}.version, ${sql.raw(alias)}.created_at, ${sql.raw(alias)}.updated_at, ${sql.raw(alias)}.doc
    FROM ${table} ${sql.raw(alias)} WHERE ${pageWhere}
    ORDER BY ${keyset ? sql.raw(`${alias}.id ASC`) : order}
    LIMIT ${keyset ? q.count + 1 : q.count} OFFSET ${keyset ? 0 : q.startIndex - 1}`);
  // A user list shows each user's groups: read them in the same round trip, through the same page
  // (as a sub-query), unless that would double the bound parameters past D1's 100.
  const groupsQuery =
    type === "User" && q.withGroups && boundParams(pageWhere) <= 45
      ? allSql<GroupRow>(db, sql`
          SELECT gm.member_id, gm.group_id, g.display_name FROM (
            SELECT u.id FROM users u WHERE ${pageWhere}
            ORDER BY ${keyset ? sql.raw("u.id ASC") : order}
            LIMIT ${q.count} OFFSET ${keyset ? 0 : q.startIndex - 1}) p
          CROSS JOIN group_members gm ON gm.tenant_id = ${tenantId} AND gm.member_id = p.id
          CROSS JOIN groups g ON g.tenant_id = gm.tenant_id AND g.id = gm.group_id
          ORDER BY g.display_name_lc`)
      : undefined;
  const [counted, page, groupRows] = (await gate.read(groupsQuery ? [countQuery, pageQuery, groupsQuery] : [countQuery, pageQuery])) as [
    { n: number }[],
    Row[],
    GroupRow[] | undefined,
  ];
  const rows = page as Row[];
  const hasMore = keyset && rows.length > q.count;
  return {
    totalResults: (counted as { n: number }[])[0]?.n ?? 0,
    ...(keyset ? { hasMore } : {}),
    ...(groupRows ? { groups: groupRefs(groupRows as GroupRow[]) } : {}),
    rows: rows.slice(0, q.count).map((r) => ({
      id: r.id,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      doc: JSON.parse(r.doc) as Record<string, unknown>,
    })),
  };
}

/** An unknown or unsortable sortBy is a 400 invalidValue naming it, not an invalidFilter. */
function sortByOrInvalid(type: ResourceTypeName, alias: "u" | "g", sortBy: string, schemas: SchemaRegistry): SQL {
  try {
    return sortExpression(type, { table: alias }, sortBy, schemas);
  } catch (err) {
    if (err instanceof ScimError && err.scimType === "invalidFilter") throw invalidValue(`sortBy: ${err.detail}`);
    throw err;
  }
}

const dialect = new SQLiteSyncDialect();
const boundParams = (fragment: SQL) => dialect.sqlToQuery(fragment).params.length;
