// List pages for /Users and /Groups: the filter compiled to SQL, sorting with a stable id
// tie-break, startIndex/count or keyset (cursor) paging, and totalResults — one D1 batch whose
// cost follows the page, not the tenant (docs/performance.md "Budgets per request shape").
import { sql, type SQL } from "drizzle-orm";
import type { ResourceTypeName } from "../schema/attribute";
import type { SchemaRegistry } from "../schema/registry";
import type { ListPage, ListQuery } from "../store";
import { compileListFilter, sortExpression } from "./filter-sql";
import { planWalk, rememberMark, rememberTotal, forgetWalk } from "./list-walk";
import { SHORT_SUBSTRING_MAX_ROWS, smallTenantGuard, stampGuard, stampOf, stampStatement } from "./resource-counts";
import type { Db } from "../../platform/d1/db";
import type { TokenGate } from "../../access/port";
import { allSql } from "../../platform/d1/raw-sql";
import { groupRefs, groupRefsOfJson, type GroupRow } from "./user-groups";
import { rowByUniqueColumn, storedResourceOf, type UniqueColumn } from "./resource-row";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { invalidFilter, invalidValue, ScimError } from "../errors";
import type { FilterNode } from "../filter/ast";
import { literalFor } from "../filter/compare";
import { resolveFilterPath, unicodeFolded } from "../filter/resolve";
import { drivenAfter, drivenFrom, drivenKey, drivenOrder, drivenWhere } from "./trigram-walk";

type Row = { id: string; version: number; created_at: string; updated_at: string; doc: string; walk_key?: number };

/**
 * One list request in one round trip, reading about the rows it returns:
 * - totalResults: unfiltered, the maintained count (resource_counts); filtered, counted once per
 *   walk (a first page that is not full is its own count) and remembered under the stamp;
 * - cursor pages continue after the cursor's id (keyset); startIndex pages continue after the id
 *   where this isolate saw the previous page of the same query end (list-walk.ts), else OFFSET;
 * - the stamp (count, generation, newest update) travels in the same batch: a remembered position
 *   or total is used only when it is unchanged, otherwise the page is read again without them.
 */
export async function listPage(db: Db, gate: TokenGate, tenantId: string, type: ResourceTypeName, q: ListQuery, schemas: SchemaRegistry): Promise<ListPage> {
  const table = sql.raw(type === "User" ? "users" : "groups");
  const alias: "u" | "g" = type === "User" ? "u" : "g";
  const a = sql.raw(alias);
  const cursor = q.afterId !== undefined;
  const idOrder = cursor || !q.sortBy;
  // `userName eq "…"` and the like: one row at most, read without the general planner.
  const lookup = q.filter && !cursor ? uniqueLookupOf(q.filter, type, schemas) : undefined;
  if (lookup) {
    if (q.sortBy) sortByOrInvalid(type, alias, q.sortBy, schemas); // refused as on any other list; one row needs no order
    return uniqueMatch(db, gate, tenantId, type, lookup, q);
  }
  // A user list in the default order may be driven by the trigram index (trigram-walk.ts): it is
  // then in index order, which cursors and remembered positions follow like any other keyset.
  const compiled = q.filter ? compileListFilter(q.filter, type, { table: alias }, schemas, { drive: type === "User" && idOrder }) : undefined;
  const driven = compiled?.drivenBy;
  const short = compiled?.shortSubstrings ?? [];
  // Fragments too short for the trigram index scan the tenant: allowed on small tenants only. On a
  // larger one the tenant key the index seeks becomes NULL, so not a single row is read.
  const tenantKey = short.length ? sql`(SELECT ${tenantId} WHERE ${smallTenantGuard(tenantId, type)})` : sql`${tenantId}`;
  const where = compiled ? sql`${a}.tenant_id = ${tenantKey} AND (${compiled.predicate})` : sql`${a}.tenant_id = ${tenantId}`;
  const filtered = compiled !== undefined;
  const from = driven !== undefined ? drivenFrom() : sql`${table} ${a}`;
  const matching = driven !== undefined ? drivenWhere(driven, where) : where;
  const direction = sql.raw(q.sortOrder === "descending" ? "DESC" : "ASC");
  // A filter with an index seek (externalId eq, userName sw, …) must drive the plan: without
  // statistics SQLite would rather walk the tenant in id order to skip the sort, reading every row.
  // The unary + keeps the id out of index choice; the few matches are then sorted.
  const id = sql.raw(compiled?.selective ? `+${alias}.id` : `${alias}.id`);
  const order = driven !== undefined
    ? drivenOrder()
    : idOrder
    ? sql`${id} ASC`
    : sql`${sortByOrInvalid(type, alias, q.sortBy!, schemas)} ${direction} NULLS LAST, ${a}.id ${direction}`;
  const plan = planWalk(tenantId, type, q);

  async function attempt(remembered: boolean): Promise<ListPage | undefined> {
    const mark = remembered ? plan.mark : undefined;
    const knownTotal = remembered && filtered ? plan.total : undefined;
    const after = cursor ? q.afterId || undefined : mark?.afterId;
    const offset = cursor ? 0 : mark ? q.startIndex - mark.startIndex : q.startIndex - 1;
    const limit = cursor ? q.count + 1 : q.count;
    const pageWhere = after === undefined ? matching : sql`${matching} AND ${driven !== undefined ? drivenAfter(after) : sql`${id} > ${after}`}`;
    // What was remembered holds only under its stamp: checked inside the page statement too, as its
    // LIMIT (0 when stale: SQLite stops before the first row), so a stale position costs no rows
    // here and the retry below walks the distance once, not twice.
    const rememberedStamp = mark?.stamp ?? knownTotal?.stamp;
    const pageLimit = rememberedStamp === undefined
      ? sql`${limit}`
      : sql`(CASE WHEN ${stampGuard(tenantId, type, filtered || !idOrder, rememberedStamp)} THEN ${limit} ELSE 0 END)`;
    // A filtered first page that is not full is its own count (every lookup, most small filters);
    // only a full one needs a count, in a second round trip, once per walk. Any other page without
    // a remembered total counts in the same batch. (A count(*) OVER () window would read every
    // match twice more than a separate count does.)
    const selfCounting = filtered && !knownTotal && q.count > 0 && after === undefined && offset === 0;
    const counted = filtered && !knownTotal && !selfCounting;
    const pageOf = (columns: SQL) => sql`SELECT ${columns} FROM ${from} WHERE ${pageWhere} ORDER BY ${order} LIMIT ${pageLimit} OFFSET ${offset}`;
    const results = await gate.read({
      stamp: stampStatement(db, tenantId, type),
      count: counted ? allSql<{ n: number }>(db, sql`SELECT count(*) AS n FROM ${from} WHERE ${matching}`) : undefined,
      page: q.count > 0
        ? allSql<Row>(db, pageOf(sql`${a}.id, ${a}.version, ${a}.created_at, ${a}.updated_at, ${a}.doc${driven !== undefined ? sql`, ${drivenKey()}` : sql``}`))
        : undefined,
      // A user list shows each user's groups: read them in the same round trip, through the same
      // page (as a sub-query), unless that would double the bound parameters past D1's 100.
      groups: type === "User" && q.withGroups && q.count > 0 && boundParams(pageWhere) <= 45
        ? allSql<GroupRow>(db, sql`
          SELECT gm.member_id, gm.group_id, g.display_name FROM (${pageOf(sql`u.id`)}) p
          CROSS JOIN group_members gm INDEXED BY group_members_member_idx ON gm.tenant_id = ${tenantId} AND gm.member_id = p.id
          CROSS JOIN groups g ON g.tenant_id = gm.tenant_id AND g.id = gm.group_id
          ORDER BY g.display_name_lc`)
        : undefined,
    });
    const stampRow = results.stamp[0];
    const stamp = stampOf(stampRow, filtered || !idOrder);
    if ((mark && mark.stamp !== stamp) || (knownTotal && knownTotal.stamp !== stamp)) return undefined;
    if (short.length && (stampRow?.n ?? 0) > SHORT_SUBSTRING_MAX_ROWS) throw shortSubstringRefused(type, short);
    const page = results.page ?? [];
    let total: number | undefined = !filtered
      ? (stampRow?.n ?? 0)
      : knownTotal
        ? knownTotal.n
        : counted
          ? (results.count?.[0]?.n ?? 0)
          : page.length < limit
            ? page.length
            : undefined;
    if (total === undefined) {
      // A full first page: only a count can say how many more match.
      const { n } = await gate.read({ n: allSql<{ n: number }>(db, sql`SELECT count(*) AS n FROM ${from} WHERE ${matching}`) });
      total = n[0]?.n ?? 0;
    }
    if (filtered && !knownTotal) rememberTotal(plan.key, stamp, total);
    const rows = page.slice(0, q.count);
    // Where the next page continues: after the last row's id, or its index key when driven.
    const last = rows.at(-1);
    const position = last && (driven !== undefined ? String(last.walk_key) : last.id);
    if (idOrder && !cursor && position !== undefined) rememberMark(plan.key, stamp, q.startIndex + rows.length, position);
    return {
      totalResults: total,
      ...(position !== undefined ? { after: position } : {}),
      ...(cursor ? { hasMore: page.length > q.count } : {}),
      ...(results.groups ? { groups: groupRefs(results.groups) } : {}),
      rows: rows.map(storedResourceOf),
    };
  }

  const fromMemory = plan.mark || plan.total ? await attempt(true) : undefined;
  if (fromMemory) return fromMemory;
  if (plan.mark || plan.total) forgetWalk(plan.key);
  return (await attempt(false))!;
}

/** The attribute behind each unique column (UniqueColumn), per resource type. */
const UNIQUE_COLUMNS: Record<ResourceTypeName, ReadonlyMap<string, UniqueColumn>> = {
  User: new Map([["id", "id"], ["userName", "user_name_lc"]]),
  Group: new Map([["id", "id"], ["displayName", "display_name_lc"]]),
};

/**
 * The filter is `eq` with a string on a unique column (`userName eq "…"`, `id eq "…"`, a group's
 * `displayName eq "…"`: the lookups Entra and Okta make before every create): that column and the
 * literal as the filter compiler would bind it (case folded as the column is).
 */
function uniqueLookupOf(node: FilterNode, type: ResourceTypeName, schemas: SchemaRegistry): { column: UniqueColumn; value: string } | undefined {
  if (node.kind !== "compare" || node.op !== "eq" || typeof node.value !== "string") return undefined;
  const resolved = resolveFilterPath(type, node.path, schemas);
  const column = resolved.extension || resolved.subAttribute ? undefined : UNIQUE_COLUMNS[type].get(resolved.attribute.name);
  if (!column) return undefined;
  const value = literalFor(resolved.attribute, node.value, unicodeFolded(type, resolved));
  return typeof value === "string" ? { column, value } : undefined;
}

/**
 * A unique lookup's page is its count: one statement, the user's groups in the same row when
 * shown; no planner, stamp, sort or walk memory. It costs what GET /Users/{id} does, where the
 * general path cost about 0.1 ms more at 400,000 users (docs/performance.md).
 */
async function uniqueMatch(db: Db, gate: TokenGate, tenantId: string, type: ResourceTypeName, lookup: { column: UniqueColumn; value: string }, q: ListQuery): Promise<ListPage> {
  const shows = q.count > 0 && q.startIndex === 1; // else (past the one match, count=0) the total alone
  const withGroups = type === "User" && q.withGroups === true && shows;
  const { row } = await gate.read({
    row: allSql<Row & { groups_json?: string }>(db, rowByUniqueColumn(type, tenantId, lookup.column, lookup.value, withGroups)),
  });
  const shown = shows ? row : [];
  const first = shown[0];
  return {
    totalResults: row.length,
    ...(first ? { after: first.id } : {}),
    ...(withGroups && first ? { groups: new Map([[first.id, groupRefsOfJson(first.groups_json)]]) } : {}),
    rows: shown.map(storedResourceOf),
  };
}

/** 400: a substring fragment too short for the trigram index would read every row of a large tenant. */
function shortSubstringRefused(type: ResourceTypeName, comparisons: string[]): ScimError {
  const what = type === "User" ? "users" : "groups";
  return invalidFilter(
    `${comparisons.map((c) => `"${c}"`).join(", ")}: substring filters need at least 3 characters on tenants with more than ` +
      `${SHORT_SUBSTRING_MAX_ROWS} ${what} (shorter fragments cannot use the substring index and would read every one of them); ` +
      `use a longer fragment, or "sw" on userName, displayName or externalId`,
  );
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
