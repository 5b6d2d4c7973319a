// Portal sign-in: a setup link's secret (from the URL fragment) is consumed once and becomes a
// 12-hour session cookie plus a CSRF token; GET continues the session after a reload; DELETE ends it.
import { Hono, type Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { hashSecret } from "../../client-secret";
import { newId } from "../../../platform/ids";
import { ScimError } from "../../../scim/errors";
import { endSession } from "../../storage/portal-sessions";
import { consumeSetupLink } from "../../storage/setup-links";
import { findTenant } from "../../../tenancy/port";
import { checkEnvelope, readJsonBody } from "../../../http/body";
import type { AppEnv } from "../../../http/context";
import { portalSessionAuth } from "../portal-auth";
import { signInRateLimit } from "../rate-limit";
import { csrfTokenFor, newSessionToken, PORTAL_COOKIE, routeBySecret, SESSION_LIFETIME_S } from "../tenant-credentials";

const SignInBody = z.object({ link: z.string({ error: "link is required (a string)" }).min(1, "link is required").max(200) });

const COOKIE_FLAGS = { path: "/", httpOnly: true, secure: true, sameSite: "Strict" } as const;
const NO_STORE = { "Cache-Control": "no-store" };

// The same answer for an unknown, used, expired or revoked link: the caller learns nothing more.
const badLink = () => new ScimError(401, "this setup link is invalid, used, expired or revoked");

async function sessionJson(tenantId: string, tenantName: string, token: string, expiresAt: string) {
  return { tenant_id: tenantId, tenant_name: tenantName, csrf_token: await csrfTokenFor(token), expires_at: expiresAt };
}

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
  .post("/session", signInRateLimit, async (c) => {
    if (fromAnotherSite(c)) throw new ScimError(403, "sign-in from another origin");
    const { link } = checkEnvelope(SignInBody, await readJsonBody(c, 4096));
    const linkTenant = await routeBySecret(c, link, "link");
    if (!linkTenant) throw badLink();
    const now = new Date();
    const token = newSessionToken(linkTenant);
    const session = {
      id: newId(),
      tokenHash: await hashSecret(token),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_S * 1000).toISOString(),
    };
    const db = c.get("db");
    const opened = await consumeSetupLink(db, await hashSecret(link), session);
    const tenant = opened && (await findTenant(db, opened.tenantId));
    if (!opened || !tenant) throw badLink();
    c.set("principal", { kind: "tenant", tenantId: tenant.id, via: "session", credentialId: session.id });
    setCookie(c, PORTAL_COOKIE, token, { ...COOKIE_FLAGS, maxAge: SESSION_LIFETIME_S });
    return c.json(await sessionJson(tenant.id, tenant.name, token, session.expiresAt), 201, NO_STORE);
  })
  .get("/session", portalSessionAuth, async (c) => {
    const s = c.get("portalSession")!;
    return c.json(await sessionJson(s.tenantId, s.tenantName, s.token, s.expiresAt), 200, NO_STORE);
  })
  .delete("/session", portalSessionAuth, async (c) => {
    await endSession(c.get("db"), c.get("portalSession")!.id, new Date().toISOString());
    deleteCookie(c, PORTAL_COOKIE, COOKIE_FLAGS);
    return c.body(null, 204);
  });
