// POST /scim/v2/.search (RFC 7644 §3.4.3): one query across Users then Groups. A filter that
// names attributes of only one type applies to that type; paging runs over the concatenation.
import { Hono } from "hono";
import { ScimError } from "../errors";
import { listResponse } from "../list-response";
import type { ResourceTypeName } from "../schema/attribute";
import type { ScimDoc } from "../store";
import { readJsonBody } from "../../http/body";
import type { ScimEnv } from "../../http/context";
import { listResources } from "./resource-lists";
import { scimJson } from "../../http/respond";
import { baseUrlOf } from "./scim-handler";
import { readSearchRequest } from "./search-request";
import { buildListQuery } from "./list-query";

export const rootSearchRoutes = new Hono<ScimEnv>().post("/.search", async (c) => {
  const body = await readJsonBody(c);
  const types: ResourceTypeName[] = ["User", "Group"];
  const { raw, projection } = readSearchRequest(body);
  const searches = types.flatMap((type) => {
    try {
      return [{ type, projection, query: buildListQuery(type, raw, c.get("store").schemas) }];
    } catch (err) {
      if (err instanceof ScimError && err.scimType === "invalidFilter") return [];
      throw err;
    }
  });
  if (searches.length === 0) buildListQuery("User", raw, c.get("store").schemas); // rethrows the filter error
  const first = searches[0]!.query;
  let skip = first.startIndex - 1;
  let room = first.count;
  let total = 0;
  const resources: ScimDoc[] = [];
  for (const s of searches) {
    const page = await listResources(
      c.get("store"),
      s.type,
      { ...s.query, startIndex: skip + 1, count: room },
      s.projection,
      baseUrlOf(c),
    );
    total += page.totalResults;
    resources.push(...page.resources);
    room -= page.resources.length;
    skip = Math.max(0, skip - page.totalResults);
  }
  return scimJson(listResponse(resources, { totalResults: total, startIndex: first.startIndex }));
});
