// Portal sign-in: a setup link's secret (from the URL fragment) is consumed once and becomes a
// 12-hour session cookie plus a random CSRF token (stored hashed). The CSRF token is given only
// here: in the body and in a cookie script on our origin can read (double submit), so the page
// finds it after a reload; GET, which the session cookie alone can call, never returns it.
// DELETE ends the session and the API tokens it made (unless kept).
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { hashSecret } from "../../client-secret";
import { newId } from "../../../platform/ids";
import { ScimError } from "../../../scim/errors";
import { endSession } from "../../storage/portal-sessions";
import { consumeSetupLink, previewSetupLink } from "../../storage/setup-links";
import { findTenant } from "../../../tenancy/port";
import { checkEnvelope, readJsonBody } from "../../../http/body";
import type { AppEnv } from "../../../http/context";
import { portalSessionAuth } from "../portal-auth";
import { signInRateLimit } from "../rate-limit";
import { cookieSession, CSRF_COOKIE, newCsrfToken, newSessionToken, PORTAL_COOKIE, routeBySecret, SESSION_LIFETIME_S } from "../tenant-credentials";
import type { LinkPreviewJson, PortalSignInJson } from "../responses";

const LinkBody = z.object({ link: z.string({ error: "link is required (a string)" }).min(1, "link is required").max(200) });
// replace_session: the person confirmed signing in to this link's tenant although the browser
// holds a live session of another tenant (login CSRF: never replaced silently).
const SignInBody = LinkBody.extend({ replace_session: z.boolean().default(false) });

const COOKIE_FLAGS = { path: "/", httpOnly: true, secure: true, sameSite: "Strict" } as const;
// Readable by the portal's script (our origin only: __Host-, SameSite=Strict); useless without the
// session cookie, and not derivable from it.
const CSRF_COOKIE_FLAGS = { path: "/", httpOnly: false, secure: true, sameSite: "Strict" } as const;
const NO_STORE = { "Cache-Control": "no-store" };

// The same answer for an unknown, used, expired or revoked link: the caller learns nothing more.
const badLink = () => new ScimError(401, "this setup link is invalid, used, expired or revoked");

const sessionJson = (tenantId: string, tenantName: string, expiresAt: string): PortalSignInJson => ({ tenant_id: tenantId, tenant_name: tenantName, expires_at: expiresAt });

/**
 * A sign-in posted from another site would sign the victim's browser into the attacker's tenant.
 * Browsers send Origin on every POST; scripts and tests that send none are not browsers.
 */
function fromAnotherSite(c: Context<AppEnv>): boolean {
  if (c.req.header("Sec-Fetch-Site") === "cross-site") return true;
  const from = c.req.header("Origin");
  return from !== undefined && from !== c.get("origin") && from !== new URL(c.req.url).origin;
}

export const portalSessionRoutes = new Hono<AppEnv>()
  // Which tenant a link signs in to, without spending it: the page shows the name and asks the
  // person to confirm first (a link sent by someone else would otherwise sign them in to that
  // someone's tenant).
  .post("/setup-link", signInRateLimit, async (c) => {
    if (fromAnotherSite(c)) throw new ScimError(403, "sign-in from another origin");
    const { link } = checkEnvelope(LinkBody, await readJsonBody(c, 4096));
    if (!(await routeBySecret(c, link, "link"))) throw badLink();
    const found = await previewSetupLink(c.get("db"), await hashSecret(link), new Date().toISOString());
    if (!found) throw badLink();
    const preview: LinkPreviewJson = { tenant_id: found.tenantId, tenant_name: found.tenantName, expires_at: found.expiresAt };
    return c.json(preview, 200, NO_STORE);
  })
  .post("/session", signInRateLimit, async (c) => {
    if (fromAnotherSite(c)) throw new ScimError(403, "sign-in from another origin");
    const { link, replace_session } = checkEnvelope(SignInBody, await readJsonBody(c, 4096));
    // A live session of another tenant in this browser is replaced only when the person said so.
    const open = getCookie(c, PORTAL_COOKIE) ? await cookieSession(c) : null;
    const linkTenant = await routeBySecret(c, link, "link");
    if (open && linkTenant && open.tenantId !== linkTenant && !replace_session) {
      throw new ScimError(409, `this browser is signed in to ${open.tenantName}; confirm to replace that session (replace_session: true)`);
    }
    if (!linkTenant) throw badLink();
    const now = new Date();
    const token = newSessionToken(linkTenant);
    const csrf = newCsrfToken();
    const session = {
      id: newId(),
      tokenHash: await hashSecret(token),
      csrfHash: await hashSecret(csrf),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_S * 1000).toISOString(),
    };
    const db = c.get("db");
    const opened = await consumeSetupLink(db, await hashSecret(link), session);
    const tenant = opened && (await findTenant(db, opened.tenantId));
    if (!opened || !tenant) throw badLink();
    c.set("principal", { kind: "tenant", tenantId: tenant.id, via: "session", credentialId: session.id });
    setCookie(c, PORTAL_COOKIE, token, { ...COOKIE_FLAGS, maxAge: SESSION_LIFETIME_S });
    setCookie(c, CSRF_COOKIE, csrf, { ...CSRF_COOKIE_FLAGS, maxAge: SESSION_LIFETIME_S });
    const signedIn: PortalSignInJson = { ...sessionJson(tenant.id, tenant.name, session.expiresAt), csrf_token: csrf };
    return c.json(signedIn, 201, NO_STORE);
  })
  .get("/session", portalSessionAuth, async (c) => {
    const s = c.var.portalSession;
    return c.json(sessionJson(s.tenantId, s.tenantName, s.expiresAt), 200, NO_STORE);
  })
  .delete("/session", portalSessionAuth, async (c) => {
    const s = c.var.portalSession;
    await endSession(c.get("db"), s.tenantId, s.id, new Date().toISOString());
    deleteCookie(c, PORTAL_COOKIE, COOKIE_FLAGS);
    deleteCookie(c, CSRF_COOKIE, CSRF_COOKIE_FLAGS);
    return c.body(null, 204);
  });
