// /admin/v1/tenants/{id} and everything under it: the tenant's shard from the directory, once per
// request, so every admin module's `c.get("db")` is the tenant's database. Unknown tenant: 404.
import { createMiddleware } from "hono/factory";
import { notFound } from "../../scim/errors";
import type { AppEnv } from "../../http/context";
import { routeToTenantShard } from "./tenant-route";

export const adminTenantShard = createMiddleware<AppEnv>(async (c, next) => {
  const id = c.req.param("id") ?? "";
  if (!(await routeToTenantShard(c, id))) throw notFound(`tenant ${id} not found`);
  await next();
});
