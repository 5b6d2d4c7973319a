// /admin/v1/tenants/{id} and everything under it: the tenant's shard from the directory and the
// tenant's row from that shard, once per request, so every admin module's `c.get("db")` is the
// tenant's database and `c.var.tenant` its row (whatever its state). Unknown tenant: 404.
import { createMiddleware } from "hono/factory";
import { notFound } from "../../scim/errors";
import type { AdminTenantEnv } from "../../http/context";
import { findTenant } from "../storage/tenants";
import { tenantShardOf } from "./tenant-route";

export const adminTenantShard = createMiddleware<AdminTenantEnv>(async (c, next) => {
  const id = c.req.param("id") ?? "";
  const placed = await tenantShardOf(c.env, c.get("directory"), id);
  if (!placed) throw notFound(`tenant ${id} not found`);
  c.set("db", placed.db);
  c.set("shard", placed.shard);
  const tenant = await findTenant(placed.db, id);
  if (!tenant) throw notFound(`tenant ${id} not found`);
  c.set("tenant", tenant);
  await next();
});
