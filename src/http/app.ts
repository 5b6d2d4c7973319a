// createApp(): middleware order, route mounting, onError/notFound. No business logic here.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { ScimError } from "../scim/errors";
import type { AppEnv } from "./context";
import { onError } from "./errors";
import { auditAdmin, auditScim } from "./middleware/audit";
import { scimRateLimit, tokenRateLimit } from "./middleware/rate-limit";
import { requestContext } from "./middleware/request-context";
import { tenantAuth } from "./middleware/tenant-auth";
import { scimContext } from "./middleware/scim-context";
import { auditRoutes } from "./routes/audit";
import { bulkRoutes } from "./routes/bulk";
import { compatRoutes } from "./routes/compat";
import { consoleRoutes } from "./routes/console";
import { discoveryRoutes } from "./routes/discovery";
import { entraTokenRoutes } from "./routes/entra-tokens";
import { extensionRoutes } from "./routes/admin/extensions";
import { groupRoutes } from "./routes/groups";
import { limitRoutes } from "./routes/limits";
import { provisioningRoutes } from "./routes/provisioning";
import { rootSearchRoutes } from "./routes/root-search";
import { userRoutes } from "./routes/users";
import { tenantRoutes } from "./routes/tenants";
import { tokenRoutes } from "./routes/token";
import { EPTURA_TOKEN_PATH, epturaTokenRoutes } from "./routes/oauth/eptura-token";

export function createApp() {
  const app = new Hono<AppEnv>({ strict: false });
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "same-origin" }));
  app.use("*", requestContext);
  app.use("/oauth/token", tokenRateLimit);
  app.use(EPTURA_TOKEN_PATH, tokenRateLimit);
  app.route("/", tokenRoutes);
  app.route("/", epturaTokenRoutes);
  app.route("/admin", consoleRoutes);
  app.use("/admin/v1/*", auditAdmin);
  app.route("/admin/v1", tenantRoutes);
  app.route("/admin/v1", compatRoutes);
  app.route("/admin/v1", provisioningRoutes);
  app.route("/admin/v1", auditRoutes);
  app.route("/admin/v1", limitRoutes);
  app.route("/admin/v1", entraTokenRoutes);
  app.route("/admin/v1", extensionRoutes);
  app.use("/scim/v2/*", tenantAuth, scimRateLimit, scimContext, auditScim);
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
