// Workload identity federation at /oauth/token (RFC 7523 §2.2 client authentication with a JWT,
// `grant_type=client_credentials` + `client_assertion_type=…:jwt-bearer` + `client_assertion`).
// Entra obtains a token for the customer's own Entra application and presents it instead of a
// client secret; we verify it against Entra's published keys with the tenant's Entra trust (the
// same record that opts in to Entra-issued bearer tokens, plus the trusted application's id), and
// answer with our ordinary access token, its lifetime inside Entra's gallery window.
import { errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import type { Bindings } from "../config";
import { markAssertionUsed } from "./storage/assertion-replay";
import { clientPlacement } from "./storage/client-directory";
import type { Db } from "../platform/d1/db";
import { findTrust, type EntraTrustRow } from "./storage/entra-trust";
import { shardDb } from "../platform/d1/shards";
import { findClient } from "../tenancy/port";
import { GALLERY_MAX_LIFETIME_S, GALLERY_MIN_LIFETIME_S, inGalleryWindow } from "./storage/token-policy";
import { JwksUnreachable, keySet } from "./entra-tokens";
import { OAuthError } from "./oauth-error";
import { issueAccessToken, type IssuedAccessToken, type TokenServiceDeps } from "./token-service";

export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const CLOCK_TOLERANCE_S = 300; // as for Entra-issued bearer tokens (src/access/entra-tokens.ts)

/** The issuers of an Entra tenant's tokens: v2.0 endpoint and v1 (sts.windows.net). */
export const assertionIssuers = (entraTenantId: string) => [
  `https://login.microsoftonline.com/${entraTenantId}/v2.0`,
  `https://sts.windows.net/${entraTenantId}/`,
];

/** Our token endpoint (RFC 7523 §3 item 3), and the trust's configured audience, if any. */
export const assertionAudiences = (trust: Pick<EntraTrustRow, "assertionAudience">, origin: string) => [
  `${origin}/oauth/token`,
  ...(trust.assertionAudience ? [trust.assertionAudience] : []),
];

const refuse = (reason: string) => new OAuthError("invalid_client", reason);

async function verifyAssertion(env: Bindings, trust: EntraTrustRow, assertion: string, origin: string, now: Date): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(assertion, keySet(env, trust.jwksUrl), {
      algorithms: ["RS256"],
      issuer: assertionIssuers(trust.entraTenantId),
      audience: assertionAudiences(trust, origin),
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["exp"],
    });
    return payload;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw refuse("the client assertion has expired");
    if (err instanceof joseErrors.JWTClaimValidationFailed) throw refuse(`the client assertion's ${err.claim} is not accepted`);
    if (err instanceof joseErrors.JOSEError) throw refuse("the client assertion failed verification");
    if (err instanceof JwksUnreachable) throw refuse("Entra signing keys are unavailable");
    throw err;
  }
}

const claim = (payload: JWTPayload, name: string) => (typeof payload[name] === "string" ? (payload[name] as string).toLowerCase() : undefined);

/**
 * A verified Entra token of the trusted application → our access token for `clientId`. Every
 * refusal is 401 invalid_client with a reason the Entra admin can act on; none reveals whether
 * another tenant's client exists (an unknown client and a client without trust read the same).
 */
export async function grantAssertionToken(
  deps: TokenServiceDeps & { env: Bindings; directory: Db },
  request: { clientId: string; assertion: string },
  lifetimeSeconds: number,
): Promise<IssuedAccessToken> {
  if (!inGalleryWindow(lifetimeSeconds)) {
    throw new OAuthError("invalid_request", `expires_in must be between ${GALLERY_MIN_LIFETIME_S} and ${GALLERY_MAX_LIFETIME_S} seconds with a client assertion`);
  }
  const placed = await clientPlacement(deps.directory, request.clientId);
  const where = placed && { shard: placed.shard, db: shardDb(deps.env, placed.shard) };
  const [client, trust] = where ? await Promise.all([findClient(where.db, placed.tenantId, request.clientId), findTrust(where.db, placed.tenantId)]) : [];
  if (!where || !client || client.status !== "active" || !trust?.appId) {
    throw refuse("client authentication failed: this client does not accept client assertions");
  }
  const payload = await verifyAssertion(deps.env, trust, request.assertion, deps.origin, deps.now);
  const tid = claim(payload, "tid");
  if (tid !== undefined && tid !== trust.entraTenantId) throw refuse("the client assertion's tid is not the trusted Entra tenant");
  // v1 tokens name the calling application in appid, v2 in azp; a self-signed assertion in sub.
  const apps = ["appid", "azp", "sub"].map((n) => claim(payload, n));
  if (!apps.includes(trust.appId)) throw refuse("the client assertion was not issued to the trusted Entra application");
  // Entra's tokens carry uti (its unique token id) where RFC 7519 names jti.
  const jti = claim(payload, "jti") ?? claim(payload, "uti");
  if (!jti) throw refuse("the client assertion has no jti");
  const expiresAt = new Date((payload.exp! + CLOCK_TOLERANCE_S) * 1000).toISOString();
  const first = await markAssertionUsed(deps.directory, { issuer: payload.iss!, jti, expiresAt }, deps.now.toISOString());
  if (!first) throw refuse("the client assertion was already used");
  return issueAccessToken(deps, where, client, lifetimeSeconds);
}
