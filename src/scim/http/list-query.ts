// Query parameters of list and read endpoints → typed ListQuery + projection (RFC 7644 §3.4.2).
// Parameter names are matched case-insensitively; unknown parameters are ignored (Entra adds
// flags such as aadOptscim062020). `+` in the query string is a space
// (URLSearchParams does that; Entra encodes spaces so).
import { parseFilter } from "../filter/parser";
import { validateFilter } from "../filter/evaluate";
import { invalidValue } from "../errors";
import { checkAttributeNames, parseAttributeList } from "../projection";
import type { ResourceTypeName } from "../schema/attribute";
import type { SchemaRegistry } from "../schema/registry";
import type { ListQuery } from "../store";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../urns";

export interface Projection {
  attributes?: string[];
  excludedAttributes?: string[];
}

export function queryParams(url: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of new URL(url).searchParams) params.set(k.toLowerCase(), v);
  return params;
}

export function readProjection(params: Map<string, string>): Projection {
  const attributes = parseAttributeList(params.get("attributes"));
  const excludedAttributes = parseAttributeList(params.get("excludedattributes"));
  checkAttributeNames(attributes, "attributes");
  checkAttributeNames(excludedAttributes, "excludedAttributes");
  return { ...(attributes ? { attributes } : {}), ...(excludedAttributes ? { excludedAttributes } : {}) };
}

function integerParam(name: string, raw: string | number | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const n = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isFinite(n)) throw invalidValue(`${name} must be an integer`);
  return Math.trunc(n);
}

export interface RawListParams {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  startIndex?: string | number;
  count?: string | number;
}

/** Build the ListQuery; out-of-range paging values are clamped as RFC 7644 §3.4.2.4 says. */
export function buildListQuery(type: ResourceTypeName, raw: RawListParams, schemas: SchemaRegistry): ListQuery {
  const filter = raw.filter !== undefined && raw.filter.trim() !== "" ? parseFilter(raw.filter, schemas) : undefined;
  if (filter) validateFilter(filter, type, schemas);
  const order = (raw.sortOrder ?? "ascending").toLowerCase();
  if (order !== "ascending" && order !== "descending") throw invalidValue(`sortOrder must be "ascending" or "descending"`);
  const startIndex = Math.max(1, integerParam("startIndex", raw.startIndex) ?? 1);
  const count = Math.min(MAX_PAGE_SIZE, Math.max(0, integerParam("count", raw.count) ?? DEFAULT_PAGE_SIZE));
  return {
    ...(filter ? { filter } : {}),
    ...(raw.sortBy ? { sortBy: raw.sortBy } : {}),
    sortOrder: order,
    startIndex,
    count,
  };
}

export function listParamsFromQuery(params: Map<string, string>): RawListParams {
  const pick = (k: string) => params.get(k);
  return {
    ...(pick("filter") !== undefined ? { filter: pick("filter") } : {}),
    ...(pick("sortby") !== undefined ? { sortBy: pick("sortby") } : {}),
    ...(pick("sortorder") !== undefined ? { sortOrder: pick("sortorder") } : {}),
    ...(pick("startindex") !== undefined ? { startIndex: pick("startindex") } : {}),
    ...(pick("count") !== undefined ? { count: pick("count") } : {}),
  };
}
