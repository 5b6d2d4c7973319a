// After a successful SCIM write: wake the tenant's Device Hub sync (one queue message, coalesced
// per tenant), in waitUntil after the commit, so the change reaches the hub within seconds.
import { createMiddleware } from "hono/factory";
import { wakeTenant } from "./dispatch";
import type { ScimEnv } from "../../http/context";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Mounted after tenant-auth on /scim/v2/*. */
export const syncWake = createMiddleware<ScimEnv>(async (c, next) => {
  await next();
  // A failed write added no outbox row; POST …/.search is a read (RFC 7644 §3.4.3).
  if (!WRITE_METHODS.has(c.req.method) || c.res.status >= 300 || c.req.path.endsWith("/.search")) return;
  const wake = wakeTenant(c.env, c.get("db"), c.get("auth").tenantId, c.get("log"));
  try {
    c.executionCtx.waitUntil(wake);
  } catch {
    // No execution context (plain app.fetch in a tool): the wake-up still runs, unawaited.
  }
});
