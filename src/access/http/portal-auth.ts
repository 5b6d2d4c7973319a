// Guard for /portal/v1 routes: the portal session cookie (CSRF token on writes), or where a route
// allows it a tenant API token. Sets the principal, and the session itself when it is one.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ScimError } from "../../scim/errors";
import type { AppEnv, PortalEnv, PortalSessionEnv } from "../../http/context";
import { apiTokenPrincipal, bearerOf, cookieSession, requireCsrf, sessionPrincipal, type PortalSession } from "./tenant-credentials";

const signedOut = () => new ScimError(401, "not signed in: open a setup link to sign in");

/** The request's portal session, its CSRF token checked on writes; 401 without one. */
async function signedInSession<E extends AppEnv>(c: Context<E>): Promise<PortalSession> {
  const session = await cookieSession(c);
  if (!session) throw signedOut();
  await requireCsrf(c, session);
  return session;
}

/**
 * Only a portal session (sign-out, and API tokens: a script's token cannot mint its successors).
 * An Authorization header is refused without a lookup.
 */
export const portalSessionAuth = createMiddleware<PortalSessionEnv>(async (c, next) => {
  if (bearerOf(c) !== undefined) throw signedOut();
  const session = await signedInSession(c);
  c.set("portalSession", session);
  c.set("principal", sessionPrincipal(session));
  await next();
});

/** A portal session or a tenant API token; an Authorization header decides alone. */
export const portalAuth = createMiddleware<PortalEnv>(async (c, next) => {
  const bearer = bearerOf(c);
  if (bearer !== undefined) {
    const tenant = bearer ? await apiTokenPrincipal(c, bearer) : null;
    if (!tenant) throw signedOut();
    c.set("principal", tenant);
  } else {
    const session = await signedInSession(c);
    c.set("portalSession", session);
    c.set("principal", sessionPrincipal(session));
  }
  await next();
});
