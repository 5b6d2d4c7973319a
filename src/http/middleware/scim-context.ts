// After tenant-auth: the tenant-scoped store for SCIM handlers.
import { createMiddleware } from "hono/factory";
import { createStore } from "../../storage/store";
import type { AppEnv } from "../context";

export const scimContext = createMiddleware<AppEnv>(async (c, next) => {
  c.set("store", createStore(c.get("db"), c.get("auth").tenantId, c.get("gate")));
  await next();
});
