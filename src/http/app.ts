// createApp(): middleware order, route mounting, onError/notFound. No business logic here.
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import { ScimError } from "../scim/errors";
import type { AppEnv } from "./context";
import { onError } from "./errors";
import { adminAuth } from "../access/http/admin-auth";
import { adminTenantShard } from "../tenancy/http/admin-tenant-shard";
import { auditAdmin, auditPortal, auditScim } from "../audit/middleware";
import { scimRateLimit, tokenRateLimit } from "../access/http/rate-limit";
import { requestContext } from "./middleware/request-context";
import { tenantAuth } from "../access/http/tenant-auth";
import { scimContext } from "../scim/http/scim-context";
import { syncWake } from "../sync/queue/wake-after-write";
import { auditRoutes } from "../audit/routes";
import { bulkRoutes } from "../scim/http/bulk";
import { compatRoutes } from "../scim/http/admin-compat";
import { discoveryRoutes } from "../scim/http/discovery";
import { entraTokenRoutes } from "../access/http/admin-entra-tokens";
import { extensionRoutes } from "../scim/http/admin-extensions";
import { exportRoutes } from "../tenancy/http/export";
import { groupRoutes } from "../scim/http/groups";
import { healthRoutes } from "./health";
import { limitRoutes } from "../tenancy/http/limits";
import { tokenPolicyRoutes } from "../access/http/admin-token-policy";
import { requestLogRoutes } from "../audit/request-log-routes";
import { deviceHubRoutes, provisioningRoutes } from "../sync/admin/provisioning";
import { provisioningHistoryRoutes } from "../sync/admin/provisioning-history";
import { rootSearchRoutes } from "../scim/http/root-search";
import { userRoutes } from "../scim/http/users";
import { shardRoutes } from "../tenancy/http/shards";
import { tenantClientRoutes, tenantRoutes } from "../tenancy/http/tenants";
import { tenantLifecycleRoutes } from "../tenancy/http/tenant-lifecycle";
import { setupLinkRoutes } from "../access/http/admin-setup-links";
import { tenantTokenRoutes, tokenExpiryRoutes } from "../access/http/admin-token-expiry";
import { portalApiTokenRoutes } from "../access/http/portal/api-tokens";
import { portalConnectionRoutes } from "../access/http/portal/connection";
import { portalSessionRoutes } from "../access/http/portal/session";
import { tenantMoveRoutes } from "../tenancy/move/routes";
import { EPTURA_TOKEN_PATH, epturaTokenRoutes } from "../access/http/eptura-token";
import { tokenRoutes } from "../access/http/token";
import { provisioningDriftRoutes } from "../sync/admin/provisioning-drift";
import { credentialRoutes } from "../access/http/admin-credentials";

const markAdminSurface = createMiddleware<AppEnv>(async (c, next) => {
  c.set("adminSurface", true);
  await next();
});

export function createApp() {
  const app = new Hono<AppEnv>({ strict: false });
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "same-origin" }));
  // Before requestContext: liveness must not depend on the configuration parsing.
  app.route("/", healthRoutes);
  app.use("*", requestContext);
  app.use("/oauth/token", tokenRateLimit);
  app.use(EPTURA_TOKEN_PATH, tokenRateLimit);
  app.route("/", tokenRoutes);
  app.route("/", epturaTokenRoutes);
  // The one admin guard: every route under /admin/v1, whichever module adds it, is behind it. It
  // admits the operator (ADMIN_TOKEN) and tenant admins, whom it limits to src/access/http/tenant-scope.ts.
  app.use("/admin/v1/*", markAdminSurface, auditAdmin, adminAuth);
  // Every route of one tenant runs on that tenant's shard (after the guard: no lookup unauthenticated).
  app.use("/admin/v1/tenants/:id/*", adminTenantShard);
  // Each module of one tenant is mounted at its own prefix; its routes name only what follows.
  app.route("/admin/v1/tenants", tenantRoutes);
  app.route("/admin/v1/tenants/:id", tenantClientRoutes);
  app.route("/admin/v1/tenants/:id", tenantLifecycleRoutes);
  app.route("/admin/v1/tenants/:id/export", exportRoutes);
  app.route("/admin/v1/tenants/:id/compat", compatRoutes);
  app.route("/admin/v1/tenants/:id/device-hub", deviceHubRoutes);
  app.route("/admin/v1/tenants/:id/provisioning", provisioningRoutes);
  app.route("/admin/v1/tenants/:id/provisioning/history", provisioningHistoryRoutes);
  app.route("/admin/v1/tenants/:id/provisioning/drift", provisioningDriftRoutes);
  app.route("/admin/v1/tenants/:id/audit", auditRoutes);
  app.route("/admin/v1/tenants/:id/requests", requestLogRoutes);
  app.route("/admin/v1/tenants/:id/rate-limit", limitRoutes);
  app.route("/admin/v1/tenants/:id/token-policy", tokenPolicyRoutes);
  app.route("/admin/v1/tenants/:id/entra-tokens", entraTokenRoutes);
  app.route("/admin/v1/tenants/:id/extensions", extensionRoutes);
  app.route("/admin/v1", shardRoutes);
  app.route("/admin/v1/tenants/:id/move", tenantMoveRoutes);
  app.route("/admin/v1/tenants/:id/setup-links", setupLinkRoutes);
  app.route("/admin/v1", tokenExpiryRoutes);
  app.route("/admin/v1/tenants/:id/tokens", tenantTokenRoutes);
  app.route("/admin/v1/tenants/:id", credentialRoutes);
  // The portal's API (its page is a static asset at /portal/; no asset lives under /portal/v1, so
  // these requests always reach the Worker). Each route names its own guard: sign-in has none.
  app.use("/portal/v1/*", auditPortal);
  app.route("/portal/v1", portalSessionRoutes);
  app.route("/portal/v1", portalConnectionRoutes);
  app.route("/portal/v1", portalApiTokenRoutes);
  app.use("/scim/v2/*", tenantAuth, scimRateLimit, scimContext, auditScim, syncWake);
  app.route("/scim/v2", discoveryRoutes);
  app.route("/scim/v2/Users", userRoutes);
  app.route("/scim/v2/Groups", groupRoutes);
  app.route("/scim/v2/Bulk", bulkRoutes);
  app.route("/scim/v2", rootSearchRoutes);
  app.notFound((c) => {
    throw new ScimError(404, `no route for ${c.req.method} ${new URL(c.req.url).pathname}`);
  });
  app.onError(onError);
  return app;
}
