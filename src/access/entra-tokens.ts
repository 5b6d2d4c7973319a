// Tokens Microsoft Entra ID issues itself (its provisioning service, when the "Secret Token"
// field is left empty): RS256 JWTs from https://sts.windows.net/{entra tenant}/ for the
// provisioning audience, verified against Entra's published JWKS. Opt-in per tenant.
import { createRemoteJWKSet, customFetch, decodeJwt, errors as joseErrors, jwtVerify } from "jose";
import type { Bindings } from "../config";
import type { Db } from "../platform/d1/db";
import { trustRouteByEntraTenant } from "./storage/entra-trust";
import { TokenRejected } from "./tokens";

/** The audience (app id) Entra's provisioning service requests tokens for. */
export const ENTRA_PROVISIONING_AUDIENCE = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621";
export const ENTRA_DEFAULT_JWKS_URL = "https://login.microsoftonline.com/common/discovery/keys";
const ISSUER = /^https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\/$/i;
/** Test and dev: JWKS URLs on this host are fetched through env.DEVICE_HUB (as src/sync/hub/connector.ts). */
const SERVICE_BINDING_HOST = "device-hub";
const CLOCK_TOLERANCE_S = 300; // Entra's own tokens are checked with the usual 5-minute skew

export interface EntraAuth {
  tenantId: string;
  /** `entra:{appid}` of the calling Entra application (the provisioning service's app id). */
  clientId: string;
  jti: string;
  /** The trusting tenant's shard, from the directory's placement (current after a move). */
  shard: string;
}

// createRemoteJWKSet caches keys and refetches on an unknown kid; one set per URL per isolate.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** The JWKS could not be fetched at all (network): the token cannot be checked, so it is refused. */
export class JwksUnreachable extends Error {}

export function keySet(env: Pick<Bindings, "DEVICE_HUB">, url: string) {
  let set = keySets.get(url);
  if (!set) {
    const binding = env.DEVICE_HUB;
    const viaBinding = binding && new URL(url).hostname === SERVICE_BINDING_HOST;
    const fetcher = viaBinding ? binding.fetch.bind(binding) : fetch;
    set = createRemoteJWKSet(new URL(url), {
      timeoutDuration: 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 6 * 3600_000,
      // jose passes a failed fetch through as it is; name it, so only it (and jose's own
      // errors) become a 401 below and a programming error stays a 500.
      [customFetch]: (input: string | URL, init?: RequestInit) =>
        fetcher(input, init).catch((cause: unknown) => {
          if (cause instanceof Error && cause.name === "TimeoutError") throw cause; // jose's JWKSTimeout
          throw new JwksUnreachable("JWKS fetch failed", { cause });
        }),
    });
    keySets.set(url, set);
  }
  return set;
}

/** The Entra tenant id when the token claims to come from Entra; undefined otherwise. */
export function entraIssuerTenant(token: string): string | undefined {
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === "string" ? ISSUER.exec(iss)?.[1]?.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verify an Entra-issued token for the tenant that trusts its Entra tenant. Throws TokenRejected
 * (client-safe reason) when no tenant trusts it or verification fails. The trust and the tenant's
 * shard come from the directory in one read: the token names only its Entra tenant.
 */
export async function verifyEntraToken(env: Bindings, directory: Db, token: string, now: Date): Promise<EntraAuth> {
  const entraTenantId = entraIssuerTenant(token);
  if (!entraTenantId) throw new TokenRejected("token was not issued by this service");
  const trust = await trustRouteByEntraTenant(directory, entraTenantId);
  if (!trust) throw new TokenRejected("no tenant accepts tokens from this Entra tenant");
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keySet(env, trust.jwksUrl), {
      algorithms: ["RS256"],
      issuer: `https://sts.windows.net/${trust.entraTenantId}/`,
      audience: trust.audience,
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["exp", "tid"],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new TokenRejected("token has expired");
    if (err instanceof joseErrors.JOSEError) throw new TokenRejected("Entra token failed verification");
    if (err instanceof JwksUnreachable) throw new TokenRejected("Entra signing keys are unavailable");
    throw err;
  }
  if (String(payload.tid).toLowerCase() !== trust.entraTenantId) throw new TokenRejected("token tid does not match its issuer");
  const app = typeof payload.appid === "string" ? payload.appid : typeof payload.azp === "string" ? payload.azp : "unknown";
  // Bound to the application the tenant trusts: any other app of the customer's Entra tenant that
  // can get a token for this audience is refused. A trust without an app id (made before the field
  // existed) is not checked; the console flags it until one is set.
  if (trust.appId && app.toLowerCase() !== trust.appId) throw new TokenRejected("token was issued to another Entra application");
  const jti = typeof payload.uti === "string" ? payload.uti : typeof payload.jti === "string" ? payload.jti : "";
  return { tenantId: trust.tenantId, clientId: `entra:${app}`.slice(0, 200), jti, shard: trust.shard };
}
