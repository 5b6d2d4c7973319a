// What a tenant credential may do on /admin/v1: one explicit allowlist of (method, route) for its
// own tenant. Anything else is operator-only. test/security/tenant-admin-routes.test.ts fails when
// an admin route is in neither list, so a new route cannot become reachable by default.
import { notFound, ScimError } from "../../scim/errors";

/** The admin routes a tenant admin may call, each for its own tenant id (`:id`) only. */
export const TENANT_ROUTES = [
  "GET /admin/v1/tenants/:id/clients",
  "POST /admin/v1/tenants/:id/clients",
  "POST /admin/v1/tenants/:id/clients/:clientId/rotate",
  "DELETE /admin/v1/tenants/:id/clients/:clientId",
  "GET /admin/v1/tenants/:id/clients/:clientId/tokens",
  "POST /admin/v1/tenants/:id/clients/:clientId/tokens",
  "GET /admin/v1/tenants/:id/tokens",
  "DELETE /admin/v1/tenants/:id/tokens/:jti",
  "GET /admin/v1/tenants/:id/provisioning",
  "GET /admin/v1/tenants/:id/provisioning/logs",
  "GET /admin/v1/tenants/:id/provisioning/parked",
  "GET /admin/v1/tenants/:id/provisioning/history",
  "GET /admin/v1/tenants/:id/provisioning/drift",
  "POST /admin/v1/tenants/:id/provisioning/drift",
  "POST /admin/v1/tenants/:id/provisioning/start",
  "POST /admin/v1/tenants/:id/provisioning/stop",
  "POST /admin/v1/tenants/:id/provisioning/run",
  "POST /admin/v1/tenants/:id/provisioning/parked/retry",
  "POST /admin/v1/tenants/:id/provisioning/parked/:itemId/retry",
  "GET /admin/v1/tenants/:id/provisioning/hub-held-names",
  "POST /admin/v1/tenants/:id/provisioning/hub-held-names/adopt",
  "GET /admin/v1/tenants/:id/audit",
  "GET /admin/v1/tenants/:id/token-policy",
  "GET /admin/v1/tenants/:id/requests",
] as const;

/**
 * Admin routes only the deployment's ADMIN_TOKEN may call: deployment-wide ones, tenant lifecycle,
 * the Device Hub settings (with its API key), limits, trust, schema and the operator's own tools.
 */
export const OPERATOR_ONLY_ROUTES = [
  "GET /admin/v1/tenants",
  "POST /admin/v1/tenants",
  "GET /admin/v1/tenants/:id",
  "PATCH /admin/v1/tenants/:id",
  "DELETE /admin/v1/tenants/:id",
  "GET /admin/v1/tenants/:id/compat",
  "GET /admin/v1/tenants/:id/device-hub",
  "PUT /admin/v1/tenants/:id/device-hub",
  "PATCH /admin/v1/tenants/:id/device-hub",
  "DELETE /admin/v1/tenants/:id/device-hub",
  "GET /admin/v1/tenants/:id/entra-tokens",
  "PUT /admin/v1/tenants/:id/entra-tokens",
  "DELETE /admin/v1/tenants/:id/entra-tokens",
  "GET /admin/v1/tenants/:id/export",
  "GET /admin/v1/tenants/:id/extensions",
  "GET /admin/v1/tenants/:id/extensions/:urn",
  "PUT /admin/v1/tenants/:id/extensions/:urn",
  "DELETE /admin/v1/tenants/:id/extensions/:urn",
  "POST /admin/v1/tenants/:id/provisioning/full-sweep",
  "POST /admin/v1/tenants/:id/provisioning/confirm-deletions",
  "GET /admin/v1/tenants/:id/provisioning/policy",
  "PATCH /admin/v1/tenants/:id/provisioning/policy",
  "GET /admin/v1/tenants/:id/rate-limit",
  "PUT /admin/v1/tenants/:id/rate-limit",
  "PUT /admin/v1/tenants/:id/token-policy",
  "GET /admin/v1/tenants/:id/setup-links",
  "POST /admin/v1/tenants/:id/setup-links",
  "DELETE /admin/v1/tenants/:id/setup-links/:linkId",
  "GET /admin/v1/tenants/:id/api-tokens",
  "GET /admin/v1/tenants/:id/api-tokens/:tokenId",
  "DELETE /admin/v1/tenants/:id/api-tokens/:tokenId",
  "GET /admin/v1/tenants/:id/portal-sessions",
  "DELETE /admin/v1/tenants/:id/portal-sessions/:sessionId",
  "GET /admin/v1/tokens/expiring",
  "GET /admin/v1/shards",
  "POST /admin/v1/tenants/:id/move",
  "GET /admin/v1/tenants/:id/move",
  "DELETE /admin/v1/tenants/:id/move",
] as const;

interface CompiledRoute {
  method: string;
  pattern: RegExp;
}

// ":id" captures the tenant id; other parameters match one path segment; trailing slashes are
// allowed as the app (strict: false) allows them.
const compile = (route: string): CompiledRoute => {
  const [method, path] = route.split(" ") as [string, string];
  const body = path.replace(/:[A-Za-z]+/g, (p) => (p === ":id" ? "([^/]+)" : "[^/]+"));
  return { method, pattern: new RegExp(`^${body}/*$`) };
};
const ALLOWED = TENANT_ROUTES.map(compile);

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Let a tenant admin's request through, or throw: 404 (as if absent) when it names another tenant,
 * 403 "operator only" when the route is not on the allowlist.
 */
export function enforceTenantScope(method: string, path: string, tenantId: string): void {
  const asMethod = method === "HEAD" ? "GET" : method;
  for (const route of ALLOWED) {
    if (route.method !== asMethod) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const named = decodeSegment(match[1]!);
    if (named !== tenantId) throw notFound(`tenant ${named} not found`);
    return;
  }
  throw new ScimError(403, "operator only");
}

/** Whether a concrete path is on the tenant allowlist (for the route-classification test). */
export const tenantRouteMatches = (method: string, path: string) =>
  ALLOWED.some((r) => r.method === method && r.pattern.test(path));
