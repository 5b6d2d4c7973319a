// Tenant credentials: the portal session cookie (with its CSRF token on writes) and tenant API
// tokens (`Bearer scimta_…`). Secrets are 256-bit random values; only SHA-256 hashes are looked
// up, so no comparison ever runs over a secret. Every failure is the same 401 (no oracle).
//
// Each secret names its tenant in clear before the random part (`scimta_<tenant id>.<random>`):
// the credential's rows live on that tenant's shard, found with one directory read. The hash covers
// the whole secret, so a secret whose tenant part was edited finds nothing anywhere.
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { hashSecret, timingSafeEqual } from "../client-secret";
import { randomToken } from "../../platform/ids";
import { ScimError } from "../../scim/errors";
import { findLiveSession, type LiveSession } from "../storage/portal-sessions";
import { findLiveApiToken, touchApiToken } from "../storage/tenant-api-tokens";
import type { AppEnv, TenantPrincipal } from "../../http/context";
import { countedLookup } from "./credential-failures";
import { routeToTenantShard } from "../../tenancy/port";

export const PORTAL_COOKIE = "__Host-scim_portal";
/** The session's CSRF token for the portal's script (double submit; see routes/portal/session.ts). */
export const CSRF_COOKIE = "__Host-scim_csrf";
export const API_TOKEN_PREFIX = "scimta_";
export const SESSION_LIFETIME_S = 12 * 3600;

const LINK_PREFIX = "scimsl_";
const SESSION_PREFIX = "scimps_";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const secretOf = (prefix: string, tenantId: string) => `${prefix}${tenantId}.${randomToken(32)}`;
export const newLinkSecret = (tenantId: string) => secretOf(LINK_PREFIX, tenantId);
export const newSessionToken = (tenantId: string) => secretOf(SESSION_PREFIX, tenantId);
export const newApiToken = (tenantId: string) => secretOf(API_TOKEN_PREFIX, tenantId);

/** The tenant a secret names, or null when it is not one of ours. */
function tenantOfSecret(secret: string, prefix: string): string | null {
  if (!secret.startsWith(prefix)) return null;
  const id = secret.slice(prefix.length, secret.indexOf(".", prefix.length));
  return UUID.test(id) ? id : null;
}

/**
 * Route the request to the shard of the tenant the secret names and return that tenant; null when
 * the secret names none or the tenant is not placed (the caller answers its usual 401).
 */
export async function routeBySecret<E extends AppEnv>(c: Context<E>, secret: string, kind: "link" | "session" | "api-token"): Promise<string | null> {
  const prefix = kind === "link" ? LINK_PREFIX : kind === "session" ? SESSION_PREFIX : API_TOKEN_PREFIX;
  const tenantId = tenantOfSecret(secret, prefix);
  return tenantId !== null && (await routeToTenantShard(c, tenantId)) ? tenantId : null;
}

/** A session's CSRF token: random, given once at sign-in, stored as a SHA-256 hash. */
export const newCsrfToken = () => `csrf_${randomToken(32)}`;

/**
 * Sessions opened before migration 0015 have no stored CSRF hash: their token was derived from the
 * cookie (anyone holding the cookie could compute it). They keep it until they expire (12 hours
 * at most); every newer session has a random one.
 */
const legacyCsrfToken = async (sessionToken: string) => `csrf_${await hashSecret(`csrf:${sessionToken}`)}`;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The bearer token of the request, "" when Authorization is something else, undefined when absent. */
export function bearerOf<E extends AppEnv>(c: Context<E>): string | undefined {
  const header = c.req.header("Authorization");
  if (header === undefined) return undefined;
  return /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? "";
}

/**
 * The tenant an API token belongs to, or null (unknown, revoked, expired, tenant offboarded).
 * Failures count per address (src/access/http/credential-failures.ts).
 */
export const apiTokenPrincipal = <E extends AppEnv>(c: Context<E>, token: string): Promise<TenantPrincipal | null> =>
  countedLookup(c, () => lookupApiToken(c, token));

async function lookupApiToken<E extends AppEnv>(c: Context<E>, token: string): Promise<TenantPrincipal | null> {
  if (!(await routeBySecret(c, token, "api-token"))) return null;
  const now = new Date();
  const found = await findLiveApiToken(c.get("db"), await hashSecret(token), now.toISOString());
  if (!found) return null;
  const touch = touchApiToken(c.get("db"), found.id, now).then(
    () => undefined,
    (err: unknown) => c.get("log").warn("api token last-use update failed", { error: String((err as Error)?.message ?? err).slice(0, 200) }),
  );
  try {
    c.executionCtx.waitUntil(touch);
  } catch {
    // No execution context (plain app.fetch): the update still runs, unawaited.
  }
  return { kind: "tenant", tenantId: found.tenantId, via: "api-token", credentialId: found.id };
}

export interface PortalSession extends LiveSession {
  token: string;
}

/**
 * The live session of the request's portal cookie, or null (no cookie, unknown, ended, expired).
 * A cookie that finds no live session counts per address (src/access/http/credential-failures.ts).
 */
export async function cookieSession<E extends AppEnv>(c: Context<E>): Promise<PortalSession | null> {
  const token = getCookie(c, PORTAL_COOKIE);
  if (!token) return null;
  return countedLookup(c, async () => {
    if (!(await routeBySecret(c, token, "session"))) return null;
    const session = await findLiveSession(c.get("db"), await hashSecret(token), new Date().toISOString());
    return session ? { ...session, token } : null;
  });
}

/** Writes authenticated by the cookie must carry the session's CSRF token (a cross-site form cannot). */
export async function requireCsrf<E extends AppEnv>(c: Context<E>, session: PortalSession): Promise<void> {
  if (SAFE_METHODS.has(c.req.method)) return;
  const sent = c.req.header("X-CSRF-Token") ?? "";
  const ok = session.csrfHash !== null
    ? timingSafeEqual(await hashSecret(sent), session.csrfHash)
    : timingSafeEqual(sent, await legacyCsrfToken(session.token));
  if (!ok) throw new ScimError(403, "missing or invalid CSRF token");
}

export const sessionPrincipal = (s: LiveSession): TenantPrincipal => ({ kind: "tenant", tenantId: s.tenantId, via: "session", credentialId: s.id });
