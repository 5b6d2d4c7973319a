// Guard for /admin/v1: the deployment's ADMIN_TOKEN as a bearer token, compared in constant time.
import { createMiddleware } from "hono/factory";
import { timingSafeEqual } from "../../auth/client-secret";
import { ScimError } from "../../scim/errors";
import type { AppEnv } from "../context";

export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match || !timingSafeEqual(match[1]!.trim(), c.get("config").adminToken)) {
    throw new ScimError(401, "missing or invalid admin token", undefined, {
      headers: { "WWW-Authenticate": `Bearer realm="admin"` },
    });
  }
  await next();
});
