// Rate limits with the Workers Rate Limiting binding: per tenant and per SCIM client on /scim/v2
// (after tenant-auth; the tier is chosen per tenant, a client gets 80 % of it), per client IP on
// both token endpoints and on portal sign-in (failed secrets: src/access/http/token-failures.ts), and per
// tenant for tenant admins on /admin/v1.
// 429 + Retry-After + the SCIM error body: Entra backs off and retries.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Bindings } from "../../config";
import { OAuthError } from "../oauth-error";
import { ScimError } from "../../scim/errors";
import { tenantTier, type RateLimitTier } from "../../tenancy/port";
import { ipRateKey } from "../../http/client-ip";
import type { AppEnv, ScimEnv } from "../../http/context";

// The binding counts in fixed windows of its period (60 s in wrangler.toml): waiting one period
// always clears the limit, and the binding does not say how much of the window is left.
export const RETRY_AFTER_S = 60;

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
export async function allowedByLimiter(limiter: RateLimit | undefined, key: string): Promise<boolean> {
  if (!limiter) return true;
  try {
    return (await limiter.limit({ key })).success;
  } catch {
    return true;
  }
}

/** Spend `units` of a key's budget (one limiter call each, in parallel); true when all fit. */
async function spend(limiter: RateLimit | undefined, key: string, units: number): Promise<boolean> {
  if (!limiter || units <= 0) return true;
  let ok = true;
  for (let done = 0; done < units && ok; done += 100) {
    const wave = await Promise.all(Array.from({ length: Math.min(100, units - done) }, () => allowedByLimiter(limiter, key)));
    ok = wave.every(Boolean);
  }
  return ok;
}

/**
 * Charge `units` SCIM requests to the client's share, then to the tenant's tier; 429 when either
 * runs out (what was spent stays spent: an over-budget caller is not refunded). `what`, when
 * given, opens the refusal's detail.
 */
export async function chargeScim(c: Context<ScimEnv>, units: number, what?: string): Promise<void> {
  const { tenantId, clientId } = c.get("auth");
  const tier = await tenantTier(c.get("db"), tenantId);
  // The client's share first: a request it may not make must not use up the tenant's budget.
  const over = !(await spend(clientTierBinding(c.env, tier), `client:${tenantId}:${clientId}`, units))
    ? "client"
    : !(await spend(tierBinding(c.env, tier), `tenant:${tenantId}`, units))
      ? "tenant"
      : undefined;
  if (over) {
    c.get("log").warn("rate limited", { tenantId, clientId, tier, by: over, units });
    throw new ScimError(429, `${what ? `${what}: ` : ""}too many requests for this ${over} (tier "${tier}"); retry after ${RETRY_AFTER_S} seconds`, undefined, {
      headers: { "Retry-After": String(RETRY_AFTER_S) },
    });
  }
}

export const scimRateLimit = createMiddleware<ScimEnv>(async (c, next) => {
  await chargeScim(c, 1);
  await next();
});

/**
 * Every token request, per source address (IPv6 per /64), before its body is read: one address
 * spraying client ids is cut off. Failed authentications are counted per client id in the handler
 * (src/access/http/token-failures.ts), under the id it actually authenticated.
 */
export const tokenRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const ip = c.req.header("CF-Connecting-IP");
  if (ip !== undefined && !(await allowedByLimiter(c.env.RATE_LIMIT_TOKEN_IP, `ip:${ipRateKey(ip)}`))) {
    c.get("log").warn("token endpoint rate limited", { by: "ip" });
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
  if (ip !== undefined && !(await allowedByLimiter(c.env.RATE_LIMIT_TOKEN_IP, `portal:${ipRateKey(ip)}`))) {
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
  if (await allowedByLimiter(c.env.RATE_LIMIT_TENANT_ADMIN, `tenant-admin:${tenantId}`)) return;
  c.get("log").warn("tenant admin rate limited", { tenantId });
  throw new ScimError(429, `too many admin requests for this tenant; retry after ${RETRY_AFTER_S} seconds`, undefined, {
    headers: { "Retry-After": String(RETRY_AFTER_S) },
  });
}
