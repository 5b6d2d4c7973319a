// POST …/.search bodies (RFC 7644 §3.4.3 SearchRequest, plus RFC 9865 `cursor`) → the same raw
// list parameters and projection as a GET.
import { z } from "zod";
import { checkEnvelope, lowerCaseKeys } from "../../http/body";
import type { Projection, RawListParams } from "./list-query";
import { checkAttributeNames } from "../projection";

const SearchRequest = z.object({
  schemas: z.array(z.string()).optional(),
  attributes: z.array(z.string()).optional(),
  excludedattributes: z.array(z.string()).optional(),
  filter: z.string().optional(),
  sortby: z.string().optional(),
  sortorder: z.string().optional(),
  startindex: z.number().optional(),
  count: z.number().optional(),
  cursor: z.string().optional(),
});

export function readSearchRequest(body: unknown): { raw: RawListParams; projection: Projection; cursor: string | undefined } {
  const req = checkEnvelope(SearchRequest, lowerCaseKeys(body));
  checkAttributeNames(req.attributes, "attributes");
  checkAttributeNames(req.excludedattributes, "excludedAttributes");
  const projection: Projection = {
    ...(req.attributes ? { attributes: req.attributes } : {}),
    ...(req.excludedattributes ? { excludedAttributes: req.excludedattributes } : {}),
  };
  const raw: RawListParams = {
    ...(req.filter !== undefined ? { filter: req.filter } : {}),
    ...(req.sortby !== undefined ? { sortBy: req.sortby } : {}),
    ...(req.sortorder !== undefined ? { sortOrder: req.sortorder } : {}),
    ...(req.startindex !== undefined ? { startIndex: req.startindex } : {}),
    ...(req.count !== undefined ? { count: req.count } : {}),
  };
  return { raw, projection, cursor: req.cursor };
}
