// Rate limits with the Workers Rate Limiting binding: per tenant and per SCIM client on /scim/v2
// (after tenant-auth; the tier is chosen per tenant, a client gets 80 % of it), per client id
// and per client IP on both token endpoints (secret guessing) and on portal sign-in, and per
// tenant for tenant admins on /admin/v1.
// 429 + Retry-After + the SCIM error body: Entra backs off and retries.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Bindings } from "../../config";
import { OAuthError } from "../oauth-error";
import { ScimError } from "../../scim/errors";
import { tenantTier, type RateLimitTier } from "../../tenancy/port";
import type { AppEnv, ScimEnv } from "../../http/context";

// The binding counts in fixed windows of its period (60 s in wrangler.toml): waiting one period
// always clears the limit, and the binding does not say how much of the window is left.
const RETRY_AFTER_S = 60;

export function tierBinding(env: Bindings, tier: RateLimitTier): RateLimit | undefined {
  switch (tier) {
    case "restricted":
      return env.RATE_LIMIT_RESTRICTED;
    case "standard":
      return env.RATE_LIMIT_STANDARD;
    case "high":
      return env.RATE_LIMIT_HIGH;
    case "unlimited":
      return undefined;
  }
}

/** The per-client share of a tier (80 % of the tenant's budget). */
export function clientTierBinding(env: Bindings, tier: RateLimitTier): RateLimit | undefined {
  switch (tier) {
    case "restricted":
      return env.RATE_LIMIT_CLIENT_RESTRICTED;
    case "standard":
      return env.RATE_LIMIT_CLIENT_STANDARD;
    case "high":
      return env.RATE_LIMIT_CLIENT_HIGH;
    case "unlimited":
      return undefined;
  }
}

/** True when the key is within budget. A missing binding (local tools) or a limiter error fails open. */
async function allowed(limiter: RateLimit | undefined, key: string): Promise<boolean> {
  if (!limiter) return true;
  try {
    return (await limiter.limit({ key })).success;
  } catch {
    return true;
  }
}

export const scimRateLimit = createMiddleware<ScimEnv>(async (c, next) => {
  const { tenantId, clientId } = c.get("auth");
  const tier = await tenantTier(c.get("db"), tenantId);
  // The client's share first: a request it may not make must not use up the tenant's budget.
  const over = !(await allowed(clientTierBinding(c.env, tier), `client:${tenantId}:${clientId}`))
    ? "client"
    : !(await allowed(tierBinding(c.env, tier), `tenant:${tenantId}`))
      ? "tenant"
      : undefined;
  if (over) {
    c.get("log").warn("rate limited", { tenantId, clientId, tier, by: over });
    throw new ScimError(429, `too many requests for this ${over} (tier "${tier}"); retry after ${RETRY_AFTER_S} seconds`, undefined, {
      headers: { "Retry-After": String(RETRY_AFTER_S) },
    });
  }
  await next();
});

/**
 * The client id of a token request (`client_id`, or `scimClientId` in the Eptura dialect) without
 * consuming the body the handler reads.
 */
async function tokenClientId(req: Request): Promise<string | undefined> {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.get("Authorization") ?? "");
  if (basic) {
    try {
      const decoded = atob(basic[1]!);
      const colon = decoded.indexOf(":");
      return colon > 0 ? decoded.slice(0, colon) : undefined;
    } catch {
      return undefined;
    }
  }
  const type = req.headers.get("Content-Type") ?? "";
  const length = Number(req.headers.get("Content-Length") ?? "0");
  if (length > 8 * 1024) return undefined; // the handler rejects it; do not read it twice
  try {
    const text = new TextDecoder().decode(await req.clone().arrayBuffer());
    if (text.length > 8 * 1024) return undefined;
    if (/^application\/json/i.test(type)) {
      const body = JSON.parse(text) as { client_id?: unknown; scimClientId?: unknown };
      const id = body.client_id ?? body.scimClientId;
      return typeof id === "string" ? id : undefined;
    }
    const form = new URLSearchParams(text);
    return form.get("client_id") ?? form.get("scimClientId") ?? undefined;
  } catch {
    return undefined;
  }
}

export const tokenRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  // CF-Connecting-IP is set by Cloudflare's edge and cannot be forged through it.
  const ip = c.req.header("CF-Connecting-IP");
  const clientId = await tokenClientId(c.req.raw);
  const ipOk = ip === undefined || (await allowed(c.env.RATE_LIMIT_TOKEN_IP, `ip:${ip}`));
  const clientOk = clientId === undefined || (await allowed(c.env.RATE_LIMIT_TOKEN_CLIENT, `client:${clientId.slice(0, 200)}`));
  if (!ipOk || !clientOk) {
    c.get("log").warn("token endpoint rate limited", { by: ipOk ? "client_id" : "ip" });
    // RFC 6749 has no rate-limit code; keep its body shape (§5.2) and let status + Retry-After speak.
    throw new OAuthError("invalid_request", `too many token requests; retry after ${RETRY_AFTER_S} seconds`, 429, {
      "Retry-After": String(RETRY_AFTER_S),
    });
  }
  await next();
});

/**
 * Portal sign-in, per client IP (the token endpoint's IP budget, under its own key). Link secrets
 * are 256-bit random values, so this is not what stops guessing; it caps the load a sprayer makes.
 */
export const signInRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const ip = c.req.header("CF-Connecting-IP");
  if (ip !== undefined && !(await allowed(c.env.RATE_LIMIT_TOKEN_IP, `portal:${ip}`))) {
    c.get("log").warn("portal sign-in rate limited", { by: "ip" });
    throw new ScimError(429, `too many sign-in attempts; retry after ${RETRY_AFTER_S} seconds`, undefined, {
      headers: { "Retry-After": String(RETRY_AFTER_S) },
    });
  }
  await next();
});

/**
 * A tenant admin's calls to /admin/v1 (portal session or tenant API token), per tenant, refused
 * ones included: a customer's script cannot load the shard its tenant shares with others. The
 * operator's ADMIN_TOKEN is not limited. Called by the admin guard once it knows the caller.
 */
export async function limitTenantAdmin(c: Context<AppEnv>, tenantId: string): Promise<void> {
  if (await allowed(c.env.RATE_LIMIT_TENANT_ADMIN, `tenant-admin:${tenantId}`)) return;
  c.get("log").warn("tenant admin rate limited", { tenantId });
  throw new ScimError(429, `too many admin requests for this tenant; retry after ${RETRY_AFTER_S} seconds`, undefined, {
    headers: { "Retry-After": String(RETRY_AFTER_S) },
  });
}
