// Compile a filter syntax tree to a parameterised SQL predicate over `users u` / `groups g`.
// Semantics mirror src/scim/filter/evaluate.ts exactly (it is the test oracle): no predicate ever
// yields NULL, so NOT keeps two-valued logic; `ne` means "no value equals"; case folding follows
// foldCase(). Values are always bound; JSON paths are built only from schema names, never from
// client text. Each comparison binds one parameter, so the parser's cap of 50 comparisons keeps a
// statement under D1's 100 bound parameters.
import { sql, type SQL } from "drizzle-orm";
import { invalidFilter, invalidValue } from "../errors";
import type { CompareOperator, FilterNode, FilterValue } from "../filter/ast";
import { literalFor } from "../filter/compare";
import { parseAttributePath } from "../filter/parser";
import { checkOperator, comparedAttribute, resolveFilterPath, resolveSubPath, unicodeFolded, validateFilter } from "../filter/resolve";
import type { AttributeDefinition, ResourceTypeName } from "../schema/attribute";
import { builtInRegistry, type ResolvedAttribute, type SchemaRegistry } from "../schema/registry";
import { MAX_INDEXED_COMPARISONS, searchable, searchCandidates, searchColumn, searchPhrase } from "./user-search";

type Alias = { table: "u" | "g" };
/**
 * While compiling: how many more bound parameters index help may add (user-search.ts), and the
 * substring comparisons too short for the trigram index (each one reads every row of the tenant).
 */
type Scope = Alias & {
  search?: { left: number };
  shortSubstrings?: string[];
  /** Whether this node is ANDed into the whole filter (not under OR, NOT or a value filter). */
  top?: boolean;
  /** Set when a top-level term seeks an index: the rows read then follow the matches. */
  selective?: { value: boolean };
  /** Set when a top-level term can use the trigram index (a list could be driven by it). */
  topSearch?: { found: boolean };
  /**
   * Present when the list is driven by the trigram index: the first top-level trigram term puts
   * its FTS5 query here and compiles to its exact predicate only (list-page.ts reads the
   * candidates from the index itself, in index order).
   */
  drive?: { phrase?: string };
};

/** Columns with an index whose leading column after tenant_id they are (tables.ts). */
const INDEXED_COLUMNS = new Set(["id", "user_name_lc", "external_id", "display_name_lc", "updated_at"]);

/** Columns that duplicate document attributes (see users/groups in tables.ts). */
const COLUMNS: Record<ResourceTypeName, Record<string, string>> = {
  User: {
    id: "id",
    externalId: "external_id",
    userName: "user_name_lc",
    displayName: "display_name_lc",
    active: "active",
    "meta.created": "created_at",
    "meta.lastModified": "updated_at",
  },
  Group: { id: "id", externalId: "external_id", displayName: "display_name_lc", "meta.created": "created_at", "meta.lastModified": "updated_at" },
};

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function jsonPath(resolved: ResolvedAttribute, withSub: boolean): string {
  const base = resolved.extension ? `$.${quote(resolved.schema)}.${resolved.attribute.name}` : `$.${resolved.attribute.name}`;
  return withSub && resolved.subAttribute ? `${base}.${resolved.subAttribute.name}` : base;
}

/** SQLite text length in characters (code points), for sw/ew without extra parameters. */
const charLength = (s: string) => [...s].length;

/**
 * A predicate for one comparison on expression `x` (already case-folded when it must be). It is
 * never NULL, so NOT and OR keep two-valued logic: `eq` uses IS (index-friendly, NULL IS v is
 * false), the others guard with `x IS NOT NULL AND …` (NULL AND false is false).
 */
function comparison(x: SQL, op: CompareOperator, literal: Exclude<FilterValue, null>): SQL {
  const v = typeof literal === "boolean" ? (literal ? 1 : 0) : literal;
  const guarded = (predicate: SQL) => sql`(${x} IS NOT NULL AND ${predicate})`;
  switch (op) {
    case "eq":
    case "ne": // negated by the caller ("no value equals")
      return sql`(${x} IS ${v})`;
    // Substring tests can use no B-tree; coalesce (not an `IS NOT NULL` guard, which the planner
    // would turn into a range over the whole column index) leaves the trigram index to drive.
    case "co":
      return sql`coalesce(instr(${x}, ${v}) > 0, 0)`;
    case "sw": {
      const n = charLength(String(v));
      return n === 0 ? sql`(${x} IS NOT NULL)` : sql`coalesce(substr(${x}, 1, ${sql.raw(String(n))}) = ${v}, 0)`;
    }
    case "ew": {
      const n = charLength(String(v));
      return n === 0 ? sql`(${x} IS NOT NULL)` : sql`coalesce(substr(${x}, -${sql.raw(String(n))}) = ${v}, 0)`;
    }
    case "gt":
      return guarded(sql`${x} > ${v}`);
    case "ge":
      return guarded(sql`${x} >= ${v}`);
    case "lt":
      return guarded(sql`${x} < ${v}`);
    case "le":
      return guarded(sql`${x} <= ${v}`);
  }
}

/** Fold a JSON-backed value the way foldCase(…, false) does: SQLite lower() is ASCII-only. */
function folded(x: SQL, attr: AttributeDefinition, columnFolded: boolean): SQL {
  const text = attr.type === "string" || attr.type === "reference";
  return text && !attr.caseExact && !columnFolded ? sql`lower(${x})` : x;
}

/** One comparison against an expression that yields at most one value per row/element. */
function compareExpr(x: SQL, attr: AttributeDefinition, columnFolded: boolean, unicode: boolean, op: CompareOperator, value: FilterValue): SQL {
  checkOperator(attr, op);
  if (value === null) {
    if (op === "eq") return sql`(${x} IS NULL)`;
    if (op === "ne") return sql`(${x} IS NOT NULL)`;
    throw invalidFilter(`"${op}" cannot compare with null`);
  }
  const literal = literalFor(attr, value, unicode) as Exclude<FilterValue, null>;
  const predicate = comparison(folded(x, attr, columnFolded), op, literal);
  return op === "ne" ? sql`(NOT ${predicate})` : predicate;
}

/** Where the elements of a multi-valued attribute come from, and how to read a sub-attribute. */
interface ElementSource {
  from: SQL;
  read(sub: AttributeDefinition): SQL;
}

function elementSource(type: ResourceTypeName, alias: Alias, resolved: ResolvedAttribute): ElementSource {
  const t = sql.raw(alias.table);
  const name = resolved.attribute.name;
  if (type === "Group" && name === "members") {
    return {
      from: sql`group_members m WHERE m.tenant_id = ${t}.tenant_id AND m.group_id = ${t}.id`,
      read(sub) {
        if (sub.name === "value") return sql`m.member_id`;
        if (sub.name === "type") return sql`m.member_type`;
        throw invalidFilter(`members.${sub.name} cannot be filtered on`);
      },
    };
  }
  if (type === "User" && name === "groups") {
    return {
      // By member: without statistics SQLite would take the primary key's tenant prefix (every membership).
      from: sql`group_members gm INDEXED BY group_members_member_idx JOIN groups gg ON gg.tenant_id = gm.tenant_id AND gg.id = gm.group_id
        WHERE gm.tenant_id = ${t}.tenant_id AND gm.member_id = ${t}.id`,
      read(sub) {
        if (sub.name === "value") return sql`gm.group_id`;
        if (sub.name === "display") return sql`gg.display_name`;
        throw invalidFilter(`groups.${sub.name} cannot be filtered on`);
      },
    };
  }
  const path = jsonPath(resolved, false);
  return {
    from: sql`json_each(${t}.doc, ${sql.raw(`'${path}'`)}) e WHERE 1`,
    read: (sub) => (resolved.attribute.subAttributes ? sql.raw(`json_extract(e.value, '$.${sub.name}')`) : sql.raw("e.value")),
  };
}

function compileSub(node: FilterNode, parent: AttributeDefinition, source: ElementSource): SQL {
  switch (node.kind) {
    case "and":
      return sql`(${compileSub(node.left, parent, source)} AND ${compileSub(node.right, parent, source)})`;
    case "or":
      return sql`(${compileSub(node.left, parent, source)} OR ${compileSub(node.right, parent, source)})`;
    case "not":
      return sql`(NOT ${compileSub(node.filter, parent, source)})`;
    case "present": {
      const x = source.read(resolveSubPath(parent, node.path));
      return sql`coalesce(${x} IS NOT NULL AND ${x} <> '', 0)`;
    }
    case "compare": {
      const sub = resolveSubPath(parent, node.path);
      return compareExpr(source.read(sub), sub, false, false, node.op, node.value);
    }
    case "valuePath":
      throw invalidFilter("value filters cannot nest");
  }
}

const exists = (source: ElementSource, predicate: SQL) => sql`EXISTS (SELECT 1 FROM ${source.from} AND ${predicate})`;

/**
 * co/sw/ew on an attribute the trigram index covers: the index's candidates AND the exact
 * predicate. Equivalent to the exact predicate alone (candidates ⊇ matches), also under NOT.
 */
function bySearchIndex(node: Extract<FilterNode, { kind: "compare" }>, type: ResourceTypeName, alias: Scope, resolved: ResolvedAttribute, exact: SQL): SQL {
  const column = searchColumn(type, resolved);
  if (!column || node.value === null) return exact;
  const literal = literalFor(comparedAttribute(resolved), node.value, unicodeFolded(type, resolved));
  if (tooShortForSearch(node.op, literal)) alias.shortSubstrings?.push(`${pathText(node)} ${node.op}`);
  if (!alias.search || alias.search.left <= 0) return exact;
  if (!searchable(node.op, literal)) return exact;
  if (alias.top && alias.topSearch) alias.topSearch.found = true;
  if (alias.top && alias.drive && alias.drive.phrase === undefined) {
    // The list reads its candidates from the index (ANDed into the whole filter, so equivalent).
    alias.drive.phrase = searchPhrase(column, literal);
    return exact;
  }
  alias.search.left--;
  // Not "selective" for the page order: `id IN (candidates)` already seeks the id index in order.
  return sql`(${searchCandidates(alias.table, column, literal)} AND ${exact})`;
}

function compileNode(node: FilterNode, type: ResourceTypeName, alias: Scope, schemas: SchemaRegistry): SQL {
  const t = sql.raw(alias.table);
  switch (node.kind) {
    case "and":
      return sql`(${compileNode(node.left, type, alias, schemas)} AND ${compileNode(node.right, type, alias, schemas)})`;
    case "or": {
      const inner = { ...alias, top: false };
      return sql`(${compileNode(node.left, type, inner, schemas)} OR ${compileNode(node.right, type, inner, schemas)})`;
    }
    case "not":
      return sql`(NOT ${compileNode(node.filter, type, { ...alias, top: false }, schemas)})`;
    case "valuePath": {
      const resolved = resolveFilterPath(type, node.path, schemas);
      if (!resolved.attribute.multiValued) {
        // A value filter on a singular complex attribute (e.g. name[givenName eq "x"]).
        return compileSingularComplex(node.filter, resolved, alias);
      }
      return exists(elementSource(type, alias, resolved), compileSub(node.filter, resolved.attribute, elementSource(type, alias, resolved)));
    }
    case "present": {
      const resolved = resolveFilterPath(type, node.path, schemas);
      if (!resolved.attribute.multiValued) {
        const x = singularExpr(resolved, type, alias).x;
        return sql`coalesce(${x} IS NOT NULL AND ${x} <> '', 0)`;
      }
      const rowBacked = resolved.attribute.name === "members" || resolved.attribute.name === "groups";
      if (!resolved.subAttribute && !rowBacked) {
        return sql`coalesce(json_array_length(${t}.doc, ${sql.raw(`'${jsonPath(resolved, false)}'`)}) > 0, 0)`;
      }
      const source = elementSource(type, alias, resolved);
      const x = source.read(comparedAttribute(resolved));
      return exists(source, sql`coalesce(${x} IS NOT NULL AND ${x} <> '', 0)`);
    }
    case "compare": {
      const resolved = resolveFilterPath(type, node.path, schemas);
      const attr = comparedAttribute(resolved);
      const unicode = unicodeFolded(type, resolved);
      if (resolved.attribute.multiValued) {
        const source = elementSource(type, alias, resolved);
        const x = source.read(attr);
        if (node.value === null) {
          if (node.op !== "eq" && node.op !== "ne") throw invalidFilter(`"${node.op}" cannot compare with null`);
          const some = exists(source, sql`${x} IS NOT NULL`);
          return node.op === "eq" ? sql`(NOT ${some})` : some;
        }
        if (node.op === "ne") return sql`(NOT ${exists(source, compareExpr(x, attr, false, unicode, "eq", node.value))})`;
        return bySearchIndex(node, type, alias, resolved, exists(source, compareExpr(x, attr, false, unicode, node.op, node.value)));
      }
      const { x, columnFolded, column } = singularExpr(resolved, type, alias, true);
      const exact = compareExpr(x, attr, columnFolded, unicode, node.op, node.value);
      const range = column ? prefixRange(node, attr, x, columnFolded, unicode, alias) : undefined;
      const seeks = column !== undefined && INDEXED_COLUMNS.has(column) && node.value !== null && (range !== undefined || ["eq", "gt", "ge", "lt", "le"].includes(node.op));
      if (seeks && alias.top && alias.selective) alias.selective.value = true;
      return range ? sql`(${range} AND ${exact})` : bySearchIndex(node, type, alias, resolved, exact);
    }
  }
}

/**
 * `sw` on a column with a B-tree (userName, displayName, externalId, id): a range the index answers
 * directly, ANDed with the exact predicate, so the rows read follow the matches, not the tenant.
 * Only where the column holds the compared text as is (stored folded, or case-exact); two extra
 * parameters, paid from the same budget as the trigram index.
 */
function prefixRange(
  node: Extract<FilterNode, { kind: "compare" }>,
  attr: AttributeDefinition,
  x: SQL,
  columnFolded: boolean,
  unicode: boolean,
  alias: Scope,
): SQL | undefined {
  if (node.op !== "sw" || typeof node.value !== "string" || !alias.search || alias.search.left < 2) return undefined;
  const textual = attr.type === "string" || attr.type === "reference";
  if (!textual || !(columnFolded || attr.caseExact)) return undefined;
  const literal = literalFor(attr, node.value, unicode);
  if (typeof literal !== "string" || literal === "" || literal.includes("\0")) return undefined;
  alias.search.left -= 2;
  // Byte 0xF5 never occurs in UTF-8: every text that starts with the literal sorts below literal||0xF5 (BINARY).
  return sql`${x} >= ${literal} AND ${x} < ${literal} || CAST(x'F5' AS TEXT)`;
}

/** A substring comparison the trigram index cannot answer: 1–2 characters. */
function tooShortForSearch(op: CompareOperator, literal: unknown): boolean {
  return (op === "co" || op === "sw" || op === "ew") && typeof literal === "string" && literal !== "" && !searchable(op, literal);
}

const pathText = (node: Extract<FilterNode, { kind: "compare" }>) =>
  [node.path.attribute, node.path.subAttribute].filter(Boolean).join(".");

function singularExpr(resolved: ResolvedAttribute, type: ResourceTypeName, alias: Alias, compared = false): { x: SQL; columnFolded: boolean; column?: string } {
  const key = resolved.extension ? undefined : [resolved.attribute.name, resolved.subAttribute?.name].filter(Boolean).join(".");
  const column = key ? COLUMNS[type][key] : undefined;
  if (column) return { x: sql.raw(`${alias.table}.${column}`), columnFolded: column.endsWith("_lc"), column };
  if (!resolved.extension && resolved.attribute.name === "meta" && resolved.subAttribute?.name === "resourceType") {
    return { x: sql.raw(`'${type}'`), columnFolded: false };
  }
  // A complex attribute compared as a whole compares its `value` (comparedAttribute: `manager eq`).
  const implicit = compared && !resolved.subAttribute && resolved.attribute.type === "complex" ? `.${comparedAttribute(resolved).name}` : "";
  return { x: sql.raw(`json_extract(${alias.table}.doc, '${jsonPath(resolved, true)}${implicit}')`), columnFolded: false };
}

function compileSingularComplex(filter: FilterNode, resolved: ResolvedAttribute, alias: Alias): SQL {
  const base = jsonPath(resolved, false);
  const source: ElementSource = { from: sql``, read: (sub) => sql.raw(`json_extract(${alias.table}.doc, '${base}.${sub.name}')`) };
  // Like an empty multi-valued attribute, a missing object has no element to match (even `ne`).
  return sql`(json_extract(${sql.raw(`${alias.table}.doc, '${base}'`)}) IS NOT NULL AND ${compileSub(filter, resolved.attribute, source)})`;
}

/** ORDER BY expression for sortBy (RFC 7644 §3.4.2.3: singular attributes only). */
export function sortExpression(type: ResourceTypeName, alias: Alias, sortBy: string, schemas: SchemaRegistry = builtInRegistry): SQL {
  const resolved = resolveFilterPath(type, parseAttributePath(sortBy, schemas), schemas);
  const attr = resolved.subAttribute ?? resolved.attribute;
  if (resolved.attribute.multiValued || attr.type === "complex") {
    throw invalidValue(`sortBy: "${sortBy}" is not a singular simple attribute`);
  }
  const { x, columnFolded } = singularExpr(resolved, type, alias);
  return folded(x, attr, columnFolded);
}

export function compileFilter(node: FilterNode, type: ResourceTypeName, alias: Alias, schemas: SchemaRegistry = builtInRegistry): SQL {
  return compileListFilter(node, type, alias, schemas).predicate;
}

/**
 * The predicate; the substring comparisons in it that no index can answer because their literal
 * is shorter than a trigram (list-page.ts refuses those on large tenants); whether a term the
 * whole filter depends on seeks an index (list-page.ts then keeps the planner off the id order);
 * and, with `drive` (a user list in index order is acceptable), the FTS5 query of a trigram term
 * the whole filter depends on, when no B-tree seek is there to drive instead: the predicate then
 * leaves that term's candidate test to the caller, which reads the candidates from the index.
 */
export function compileListFilter(
  node: FilterNode,
  type: ResourceTypeName,
  alias: Alias,
  schemas: SchemaRegistry = builtInRegistry,
  options: { drive?: boolean } = {},
): { predicate: SQL; shortSubstrings: string[]; selective: boolean; drivenBy?: string } {
  validateFilter(node, type, schemas); // the same refusals as the evaluator, before any SQL is built
  const compile = (drive?: { phrase?: string }) => {
    const shortSubstrings: string[] = [];
    const selective = { value: false };
    const topSearch = { found: false };
    const scope: Scope = { ...alias, search: { left: MAX_INDEXED_COMPARISONS }, shortSubstrings, top: true, selective, topSearch, ...(drive ? { drive } : {}) };
    const predicate = compileNode(node, type, scope, schemas);
    return { predicate, shortSubstrings, selective: selective.value, topSearch: topSearch.found };
  };
  const plain = compile();
  if (!options.drive || plain.selective || !plain.topSearch) {
    return { predicate: plain.predicate, shortSubstrings: plain.shortSubstrings, selective: plain.selective };
  }
  const drive: { phrase?: string } = {};
  const driven = compile(drive);
  return { predicate: driven.predicate, shortSubstrings: driven.shortSubstrings, selective: false, drivenBy: drive.phrase! };
}
