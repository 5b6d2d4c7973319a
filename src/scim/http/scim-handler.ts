// Glue shared by the resource routes: the service context of a request, and the resource
// response (projection, ETag, Location, If-None-Match → 304).
import type { Context } from "hono";
import { etagMatches, etagOf } from "../etag";
import { projectResource } from "../projection";
import type { ResourceTypeName } from "../schema/attribute";
import type { SchemaRegistry } from "../schema/registry";
import type { ScimDoc, StoredResource } from "../store";
import type { ServiceContext } from "../service-context";
import { hubNamingRulesEnforced } from "../../sync/port";
import type { ScimEnv } from "../../http/context";
import { clientScimBase } from "../../http/normalize-url";
import type { Projection } from "./list-query";
import { scimJson } from "../../http/respond";

export function serviceContext(c: Context<ScimEnv>): ServiceContext {
  const ifMatch = c.req.header("If-Match");
  return {
    now: new Date().toISOString(),
    baseUrl: baseUrlOf(c),
    rewrites: c.get("rewrites"),
    hubNamingRulesEnforced: () => hubNamingRulesEnforced(c.get("db"), c.get("auth").tenantId),
    ...(ifMatch !== undefined ? { ifMatch } : {}),
  };
}

/** The public SCIM base URL in the client's own terms (/scim/v2, /scim/v1 or /scim/api/V1). */
export const baseUrlOf = (c: Context<ScimEnv>) => `${c.get("origin")}${clientScimBase(c.req.raw)}`;

export function respondResource(
  schemas: SchemaRegistry,
  type: ResourceTypeName,
  stored: StoredResource,
  resource: ScimDoc,
  projection: Projection,
  status = 200,
) {
  const headers: Record<string, string> = { ETag: etagOf(stored.version) };
  if (status === 201) headers["Location"] = String((resource["meta"] as { location: string }).location);
  return scimJson(projectResource(resource, type, projection, schemas), status, headers);
}

/** RFC 7644 §3.14: a GET whose If-None-Match names the current version gets 304. */
export function notModified(c: Context<ScimEnv>, stored: StoredResource): Response | undefined {
  const header = c.req.header("If-None-Match");
  if (header === undefined || !etagMatches(header, stored.version)) return undefined;
  return new Response(null, { status: 304, headers: { ETag: etagOf(stored.version) } });
}
