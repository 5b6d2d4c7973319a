// After tenant-auth: the tenant-scoped store for SCIM handlers, with the tenant's schemas.
import { createMiddleware } from "hono/factory";
import { createStore } from "../../storage/store";
import { hubNameCheck } from "../../sync/name-check";
import type { AppEnv } from "../context";
import { tenantSchemas } from "../tenant-schemas";

export const scimContext = createMiddleware<AppEnv>(async (c, next) => {
  const { tenantId } = c.get("auth");
  c.set("store", createStore(c.get("db"), tenantId, c.get("gate"), await tenantSchemas(c.get("db"), tenantId), hubNameCheck(c.env, c.get("db"), tenantId, c.get("log"))));
  await next();
});
