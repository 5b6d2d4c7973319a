// Guard for /admin/v1: the deployment's ADMIN_TOKEN as a bearer token (the operator, compared in
// constant time), or a tenant credential (portal cookie + CSRF on writes, or `Bearer scimta_…`)
// limited to its own tenant by the allowlist in tenant-scope.ts and rate limited per tenant. Sets
// the request's principal.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { timingSafeEqual } from "../client-secret";
import { ScimError } from "../../scim/errors";
import type { AppEnv, Principal } from "../../http/context";
import { OPERATOR } from "./principal";
import { apiTokenPrincipal, bearerOf, cookieSession, requireCsrf, sessionPrincipal } from "./tenant-credentials";
import { enforceTenantScope } from "./tenant-scope";
import { limitTenantAdmin } from "./rate-limit";

const unauthorized = () =>
  new ScimError(401, "missing or invalid admin token", undefined, {
    headers: { "WWW-Authenticate": `Bearer realm="admin"` },
  });

async function adminPrincipal(c: Context<AppEnv>): Promise<Principal> {
  const bearer = bearerOf(c);
  if (bearer !== undefined) {
    // An Authorization header decides alone: a bad one never falls back to a cookie.
    if (bearer && timingSafeEqual(bearer, c.get("config").adminToken)) return OPERATOR;
    const tenant = bearer ? await apiTokenPrincipal(c, bearer) : null;
    if (tenant) return tenant;
    throw unauthorized();
  }
  const session = await cookieSession(c);
  if (!session) throw unauthorized();
  await requireCsrf(c, session);
  return sessionPrincipal(session);
}

export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  // Once per request: a guard mounted twice must not count a tenant admin's call twice.
  if (c.get("principal")) return next();
  const principal = await adminPrincipal(c);
  // Set before the scope check, so a refused attempt on the caller's own tenant is audited too.
  c.set("principal", principal);
  if (principal.kind === "tenant") {
    await limitTenantAdmin(c, principal.tenantId);
    enforceTenantScope(c.req.method, c.req.path, principal.tenantId);
  }
  await next();
});
