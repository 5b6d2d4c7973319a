// createApp(): middleware order, route mounting, onError/notFound. No business logic here.
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { ScimError } from "../scim/errors";
import type { AppEnv } from "./context";
import { onError } from "./errors";
import { requestContext } from "./middleware/request-context";
import { tenantAuth } from "./middleware/tenant-auth";
import { discoveryRoutes } from "./routes/discovery";
import { tenantRoutes } from "./routes/tenants";
import { tokenRoutes } from "./routes/token";

export function createApp() {
  const app = new Hono<AppEnv>({ strict: false });
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "same-origin" }));
  app.use("*", requestContext);
  app.route("/", tokenRoutes);
  app.route("/admin/v1", tenantRoutes);
  app.use("/scim/v2/*", tenantAuth);
  app.route("/scim/v2", discoveryRoutes);
  app.notFound((c) => {
    throw new ScimError(404, `no route for ${c.req.method} ${new URL(c.req.url).pathname}`);
  });
  app.onError(onError);
  return app;
}
