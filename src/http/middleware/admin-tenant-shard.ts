// /admin/v1/tenants/{id} and everything under it: the tenant's shard from the directory, once per
// request, so every admin module's `c.get("db")` is the tenant's database. Unknown tenant: 404.
import { createMiddleware } from "hono/factory";
import { notFound } from "../../scim/errors";
import { placementOf } from "../../storage/placement";
import { shardDb } from "../../storage/shards";
import type { AppEnv } from "../context";

export const adminTenantShard = createMiddleware<AppEnv>(async (c, next) => {
  const id = c.req.param("id") ?? "";
  const shard = await placementOf(c.get("directory"), id);
  if (!shard) throw notFound(`tenant ${id} not found`);
  c.set("db", shardDb(c.env, shard));
  c.set("shard", shard);
  await next();
});
