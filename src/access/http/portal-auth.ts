// Guard for /portal/v1 routes: the portal session cookie (CSRF token on writes), or where a route
// allows it a tenant API token. Sets the principal, and the session itself when it is one.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ScimError } from "../../scim/errors";
import type { AppEnv, PortalEnv, PortalSessionEnv, TenantPrincipal } from "../../http/context";
import { apiTokenPrincipal, bearerOf, cookieSession, requireCsrf, sessionPrincipal, type PortalSession } from "./tenant-credentials";

const signedOut = () => new ScimError(401, "not signed in: open a setup link to sign in");

async function portalPrincipal<E extends AppEnv>(
  c: Context<E>,
  allowApiToken: boolean,
): Promise<{ principal: TenantPrincipal; session?: PortalSession }> {
  const bearer = bearerOf(c);
  if (bearer !== undefined) {
    const tenant = allowApiToken && bearer ? await apiTokenPrincipal(c, bearer) : null;
    if (!tenant) throw signedOut();
    return { principal: tenant };
  }
  const session = await cookieSession(c);
  if (!session) throw signedOut();
  await requireCsrf(c, session);
  return { principal: sessionPrincipal(session), session };
}

/** Only a portal session (sign-out, and API tokens: a script's token cannot mint its successors). */
export const portalSessionAuth = createMiddleware<PortalSessionEnv>(async (c, next) => {
  const { principal, session } = await portalPrincipal(c, false);
  // Without an API token the principal comes from a session (portalPrincipal returns both).
  if (!session) throw signedOut();
  c.set("portalSession", session);
  c.set("principal", principal);
  await next();
});

/** A portal session or a tenant API token. */
export const portalAuth = createMiddleware<PortalEnv>(async (c, next) => {
  const { principal, session } = await portalPrincipal(c, true);
  if (session) c.set("portalSession", session);
  c.set("principal", principal);
  await next();
});
