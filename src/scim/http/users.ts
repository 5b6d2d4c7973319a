// /scim/v2/Users: list, .search, get, create, replace, patch, delete. Parse → service → respond.
import { Hono, type Context } from "hono";
import type { StoredResource } from "../store";
import { createUser, deleteUser, getUser, getUserWithGroups, patchUser, replaceUser } from "../users/service";
import { isAttributeRequested } from "../projection";
import { readJsonBody } from "../../http/body";
import type { ScimEnv } from "../../http/context";
import { listParamsFromQuery, queryParams, readProjection, type Projection } from "./list-query";
import { respondList } from "./respond-list";
import { usersAsResources } from "./resource-lists";
import { baseUrlOf, notModified, respondResource, serviceContext } from "./scim-handler";
import { readSearchRequest } from "./search-request";

async function respondUser(c: Context<ScimEnv>, stored: StoredResource, status = 200) {
  const projection = readProjection(queryParams(c.req.url));
  // A user just created (server-assigned id) is in no group yet: no read for its groups.
  const groups = status === 201 ? new Map([[stored.id, []]]) : undefined;
  const [resource] = await usersAsResources(c.get("store"), [stored], projection, baseUrlOf(c), groups);
  return respondResource(c.get("store").schemas, "User", stored, resource!, projection, status);
}

/** The request's projection, or undefined when it is invalid (refused once the 404 and 304 checks ran). */
function projectionIfValid(c: Context<ScimEnv>): Projection | undefined {
  try {
    return readProjection(queryParams(c.req.url));
  } catch {
    return undefined;
  }
}

export const userRoutes = new Hono<ScimEnv>()
  .get("/", async (c) => {
    const params = queryParams(c.req.url);
    return respondList(c, "User", listParamsFromQuery(params), readProjection(params), params.get("cursor"));
  })
  .post("/.search", async (c) => {
    const { raw, projection, cursor } = readSearchRequest(await readJsonBody(c));
    return respondList(c, "User", raw, projection, cursor);
  })
  .get("/:id", async (c) => {
    const store = c.get("store");
    const id = c.req.param("id");
    // The user and its groups in one round trip (the read Entra makes most after lookups), without
    // the groups statement when the answer leaves them out. An invalid projection is refused after
    // the 404 and 304 checks, as before; until then it reads the groups.
    const valid = projectionIfValid(c);
    const withGroups = !valid || isAttributeRequested("User", valid, "groups", store.schemas);
    const found = withGroups ? await getUserWithGroups(store, id) : { user: await getUser(store, id), groups: [] };
    const unchanged = notModified(c, found.user);
    if (unchanged) return unchanged;
    const projection = valid ?? readProjection(queryParams(c.req.url));
    const [resource] = await usersAsResources(store, [found.user], projection, baseUrlOf(c), new Map([[found.user.id, found.groups]]));
    return respondResource(store.schemas, "User", found.user, resource!, projection);
  })
  .post("/", async (c) => respondUser(c, await createUser(c.get("store"), await readJsonBody(c), serviceContext(c)), 201))
  .put("/:id", async (c) =>
    respondUser(c, await replaceUser(c.get("store"), c.req.param("id"), await readJsonBody(c), serviceContext(c))),
  )
  .patch("/:id", async (c) =>
    respondUser(c, await patchUser(c.get("store"), c.req.param("id"), await readJsonBody(c), serviceContext(c))),
  )
  .delete("/:id", async (c) => {
    await deleteUser(c.get("store"), c.req.param("id"), serviceContext(c));
    return c.body(null, 204);
  });
