// POST …/.search bodies (RFC 7644 §3.4.3 SearchRequest) → the same ListQuery + projection as GET.
import { z } from "zod";
import type { ResourceTypeName } from "../scim/schema/attribute";
import { checkEnvelope, lowerCaseKeys } from "./body";
import { buildListQuery, type Projection } from "./list-query";

const SearchRequest = z.object({
  schemas: z.array(z.string()).optional(),
  attributes: z.array(z.string()).optional(),
  excludedattributes: z.array(z.string()).optional(),
  filter: z.string().optional(),
  sortby: z.string().optional(),
  sortorder: z.string().optional(),
  startindex: z.number().optional(),
  count: z.number().optional(),
});

export function readSearchRequest(type: ResourceTypeName, body: unknown) {
  const req = checkEnvelope(SearchRequest, lowerCaseKeys(body));
  const projection: Projection = {
    ...(req.attributes ? { attributes: req.attributes } : {}),
    ...(req.excludedattributes ? { excludedAttributes: req.excludedattributes } : {}),
  };
  const query = buildListQuery(type, {
    ...(req.filter !== undefined ? { filter: req.filter } : {}),
    ...(req.sortby !== undefined ? { sortBy: req.sortby } : {}),
    ...(req.sortorder !== undefined ? { sortOrder: req.sortorder } : {}),
    ...(req.startindex !== undefined ? { startIndex: req.startindex } : {}),
    ...(req.count !== undefined ? { count: req.count } : {}),
  });
  return { query, projection };
}
