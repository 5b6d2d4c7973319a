// After tenant-auth: the tenant-scoped store for SCIM handlers, with the tenant's schemas.
import { createMiddleware } from "hono/factory";
import { createStore } from "../storage/store";
import { hubNameCheck } from "../../sync/port";
import type { ScimEnv } from "../../http/context";
import { tenantSchemas } from "./tenant-schemas";

export const scimContext = createMiddleware<ScimEnv>(async (c, next) => {
  const { tenantId } = c.get("auth");
  const db = c.get("db");
  const schemas = await tenantSchemas(db, tenantId);
  c.set("store", createStore(db, tenantId, c.get("gate"), schemas, hubNameCheck(c.env, db, tenantId, { timeoutMs: c.get("config").hubNameCheckTimeoutMs, log: c.get("log") })));
  await next();
});
