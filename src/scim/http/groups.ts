// /scim/v2/Groups: list, .search, get, create, replace, patch, delete. Member rows are read only
// when the response shows them (excludedAttributes=members reads none).
import { Hono, type Context } from "hono";
import { etagOf } from "../etag";
import { createGroup, deleteGroup, getGroup, patchGroup, replaceGroup } from "../groups/service";
import type { StoredResource } from "../store";
import { readJsonBody } from "../../http/body";
import type { ScimEnv } from "../../http/context";
import { listParamsFromQuery, queryParams, readProjection } from "./list-query";
import { respondList } from "./respond-list";
import { groupAsResource } from "./resource-lists";
import { baseUrlOf, notModified, respondResource, serviceContext } from "./scim-handler";
import { readSearchRequest } from "./search-request";

async function respondGroup(c: Context<ScimEnv>, stored: StoredResource, status = 200) {
  const projection = readProjection(queryParams(c.req.url));
  const resource = await groupAsResource(c.get("store"), stored, projection, baseUrlOf(c));
  return respondResource(c.get("store").schemas, "Group", stored, resource, projection, status);
}

export const groupRoutes = new Hono<ScimEnv>()
  .get("/", async (c) => {
    const params = queryParams(c.req.url);
    return respondList(c, "Group", listParamsFromQuery(params), readProjection(params), params.get("cursor"));
  })
  .post("/.search", async (c) => {
    const { raw, projection, cursor } = readSearchRequest(await readJsonBody(c));
    return respondList(c, "Group", raw, projection, cursor);
  })
  .get("/:id", async (c) => {
    const stored = await getGroup(c.get("store"), c.req.param("id"));
    return notModified(c, stored) ?? respondGroup(c, stored);
  })
  .post("/", async (c) => respondGroup(c, (await createGroup(c.get("store"), await readJsonBody(c), serviceContext(c))).group, 201))
  .put("/:id", async (c) =>
    respondGroup(c, await replaceGroup(c.get("store"), c.req.param("id"), await readJsonBody(c), serviceContext(c))),
  )
  .patch("/:id", async (c) => {
    const stored = await patchGroup(c.get("store"), c.req.param("id"), await readJsonBody(c), serviceContext(c));
    // 204 is what Entra prefers for group PATCH; a client that asks for
    // attributes gets 200 with the projected group.
    const params = queryParams(c.req.url);
    if (params.has("attributes") || params.has("excludedattributes")) return respondGroup(c, stored);
    return new Response(null, { status: 204, headers: { ETag: etagOf(stored.version) } });
  })
  .delete("/:id", async (c) => {
    await deleteGroup(c.get("store"), c.req.param("id"), serviceContext(c));
    return c.body(null, 204);
  });
