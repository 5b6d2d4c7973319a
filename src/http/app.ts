// createApp(): middleware order, route mounting, onError/notFound. No business logic here.
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import { ScimError } from "../scim/errors";
import type { AppEnv } from "./context";
import { onError } from "./errors";
import { adminAuth } from "./middleware/admin-auth";
import { adminTenantShard } from "./middleware/admin-tenant-shard";
import { auditAdmin, auditPortal, auditScim } from "./middleware/audit";
import { scimRateLimit, tokenRateLimit } from "./middleware/rate-limit";
import { requestContext } from "./middleware/request-context";
import { tenantAuth } from "./middleware/tenant-auth";
import { scimContext } from "./middleware/scim-context";
import { syncWake } from "./middleware/sync-wake";
import { auditRoutes } from "./routes/admin/audit";
import { bulkRoutes } from "./routes/scim/bulk";
import { compatRoutes } from "./routes/admin/compat";
import { discoveryRoutes } from "./routes/scim/discovery";
import { entraTokenRoutes } from "./routes/admin/entra-tokens";
import { extensionRoutes } from "./routes/admin/extensions";
import { exportRoutes } from "./routes/admin/export";
import { groupRoutes } from "./routes/scim/groups";
import { healthRoutes } from "./routes/health";
import { limitRoutes } from "./routes/admin/limits";
import { provisioningRoutes } from "./routes/admin/provisioning";
import { provisioningHistoryRoutes } from "./routes/admin/provisioning-history";
import { rootSearchRoutes } from "./routes/scim/root-search";
import { userRoutes } from "./routes/scim/users";
import { shardRoutes } from "./routes/admin/shards";
import { tenantRoutes } from "./routes/admin/tenants";
import { tenantLifecycleRoutes } from "./routes/admin/tenant-lifecycle";
import { setupLinkRoutes } from "./routes/admin/setup-links";
import { tokenExpiryRoutes } from "./routes/admin/token-expiry";
import { credentialRoutes } from "./routes/admin/credentials";
import { portalApiTokenRoutes } from "./routes/portal/api-tokens";
import { portalConnectionRoutes } from "./routes/portal/connection";
import { portalSessionRoutes } from "./routes/portal/session";
import { tenantMoveRoutes } from "./routes/admin/tenant-move";
import { EPTURA_TOKEN_PATH, epturaTokenRoutes } from "./routes/oauth/eptura-token";
import { tokenRoutes } from "./routes/oauth/token";

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
  // admits the operator (ADMIN_TOKEN) and tenant admins, whom it limits to src/http/tenant-scope.ts.
  app.use("/admin/v1/*", markAdminSurface, auditAdmin, adminAuth);
  // Every route of one tenant runs on that tenant's shard (after the guard: no lookup unauthenticated).
  app.use("/admin/v1/tenants/:id/*", adminTenantShard);
  app.route("/admin/v1", tenantRoutes);
  app.route("/admin/v1", tenantLifecycleRoutes);
  app.route("/admin/v1", exportRoutes);
  app.route("/admin/v1", compatRoutes);
  app.route("/admin/v1", provisioningRoutes);
  app.route("/admin/v1", provisioningHistoryRoutes);
  app.route("/admin/v1", auditRoutes);
  app.route("/admin/v1", limitRoutes);
  app.route("/admin/v1", entraTokenRoutes);
  app.route("/admin/v1", extensionRoutes);
  app.route("/admin/v1", shardRoutes);
  app.route("/admin/v1", tenantMoveRoutes);
  app.route("/admin/v1", setupLinkRoutes);
  app.route("/admin/v1", tokenExpiryRoutes);
  app.route("/admin/v1", credentialRoutes);
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
