// Guard for /portal/v1 routes: the portal session cookie (CSRF token on writes), or where a route
// allows it a tenant API token. Sets the principal, and the session itself when it is one.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ScimError } from "../../scim/errors";
import type { AppEnv, Principal } from "../../http/context";
import { apiTokenPrincipal, bearerOf, cookieSession, requireCsrf, sessionPrincipal } from "./tenant-credentials";

const signedOut = () => new ScimError(401, "not signed in: open a setup link to sign in");

async function portalPrincipal(c: Context<AppEnv>, allowApiToken: boolean): Promise<Principal> {
  const bearer = bearerOf(c);
  if (bearer !== undefined) {
    const tenant = allowApiToken && bearer ? await apiTokenPrincipal(c, bearer) : null;
    if (!tenant) throw signedOut();
    return tenant;
  }
  const session = await cookieSession(c);
  if (!session) throw signedOut();
  await requireCsrf(c, session);
  c.set("portalSession", session);
  return sessionPrincipal(session);
}

/** Only a portal session (sign-out, and API tokens: a script's token cannot mint its successors). */
export const portalSessionAuth = createMiddleware<AppEnv>(async (c, next) => {
  c.set("principal", await portalPrincipal(c, false));
  await next();
});

/** A portal session or a tenant API token. */
export const portalAuth = createMiddleware<AppEnv>(async (c, next) => {
  c.set("principal", await portalPrincipal(c, true));
  await next();
});
