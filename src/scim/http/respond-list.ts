// One list request (GET /Users, POST /Groups/.search, …) from raw parameters to the response:
// index paging (startIndex/count) by default, RFC 9865 cursor paging when `cursor` is given.
import type { Context } from "hono";
import { invalidValue } from "../errors";
import { listResponse } from "../list-response";
import type { ResourceTypeName } from "../schema/attribute";
import type { ScimEnv } from "../../http/context";
import { queryFingerprint, signCursor, verifyCursor } from "./cursor";
import { buildListQuery, type Projection, type RawListParams } from "./list-query";
import { listResources } from "./resource-lists";
import { scimJson } from "../../http/respond";
import { baseUrlOf } from "./scim-handler";

export async function respondList(
  c: Context<ScimEnv>,
  type: ResourceTypeName,
  raw: RawListParams,
  projection: Projection,
  cursor: string | undefined,
) {
  const query = buildListQuery(type, raw, c.get("store").schemas);
  const config = c.get("config");
  const tenantId = c.get("auth").tenantId;
  let fingerprint: string | undefined;
  if (cursor !== undefined) {
    if (query.sortBy) throw invalidValue("cursor pages are ordered by id; sortBy cannot be combined with cursor");
    fingerprint = await queryFingerprint([type, raw.filter ?? ""]);
    query.afterId = cursor === "" ? "" : await verifyCursor(config, tenantId, fingerprint, cursor);
  }
  const page = await listResources(c.get("store"), type, query, projection, baseUrlOf(c));
  if (fingerprint === undefined) {
    return scimJson(listResponse(page.resources, { totalResults: page.totalResults, startIndex: query.startIndex }));
  }
  const nextCursor = page.hasMore && page.lastId ? await signCursor(config, tenantId, fingerprint, page.lastId) : undefined;
  return scimJson(listResponse(page.resources, { totalResults: page.totalResults, ...(nextCursor ? { nextCursor } : {}) }));
}
