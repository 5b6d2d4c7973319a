// Access tokens: jose-signed JWTs with a kid. issueToken signs; verifyToken pins algorithm,
// issuer, audience and expiry. Revocation is checked by the caller against D1.
import { errors as joseErrors, jwtVerify, SignJWT, decodeProtectedHeader } from "jose";
import type { KeyRing } from "./keys";

export const DEFAULT_TOKEN_LIFETIME_S = 3600;
/** Ten years: Entra's "Secret Token" field wants a token that does not expire in practice. */
export const MAX_TOKEN_LIFETIME_S = 315_360_000;
export const MIN_TOKEN_LIFETIME_S = 60;
export const TOKEN_SCOPE = "scim";
/** JOSE `typ` of our access tokens (RFC 9068 §2.1). */
export const TOKEN_TYPE = "at+jwt";
const CLOCK_TOLERANCE_S = 30;

export interface TokenClaims {
  tenantId: string;
  clientId: string;
  jti: string;
  issuedAt: number;
  expiresAt: number;
  /** The shard the tenant was on when the token was issued; absent in tokens from before shards. */
  shard?: string;
}

export interface TokenAudience {
  issuer: string;
  audience: string;
}

export async function issueToken(
  ring: KeyRing,
  where: TokenAudience,
  claims: { tenantId: string; clientId: string; jti: string; shard: string; lifetimeSeconds: number; now: Date },
): Promise<{ token: string; expiresAt: number; issuedAt: number }> {
  const iat = Math.floor(claims.now.getTime() / 1000);
  const exp = iat + claims.lifetimeSeconds;
  // `shard` routes SCIM requests to the tenant's database without a directory read.
  const token = await new SignJWT({ tid: claims.tenantId, scope: TOKEN_SCOPE, shard: claims.shard })
    .setProtectedHeader({ alg: ring.signing.alg, kid: ring.signing.kid, typ: TOKEN_TYPE })
    .setIssuer(where.issuer)
    .setAudience(where.audience)
    .setSubject(claims.clientId)
    .setJti(claims.jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(ring.signing.key);
  return { token, expiresAt: exp, issuedAt: iat };
}

export class TokenRejected extends Error {}

/** Verify signature and claims. Throws TokenRejected with a client-safe reason. */
export async function verifyToken(
  ring: KeyRing,
  where: TokenAudience,
  token: string,
  now: Date,
): Promise<TokenClaims> {
  // Cheap checks first: shape, alg and kid, before any crypto.
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new TokenRejected("malformed token");
  }
  const entry = header.kid ? ring.verify.get(header.kid) : undefined;
  if (!entry) throw new TokenRejected("unknown signing key");
  if (header.alg !== entry.alg) throw new TokenRejected("unexpected algorithm");
  try {
    const { payload } = await jwtVerify(token, entry.key, {
      algorithms: [entry.alg],
      issuer: where.issuer,
      audience: where.audience,
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: now,
      requiredClaims: ["sub", "jti", "exp", "iat"],
      // RFC 9068 §4: an access token must say it is one (no other JWT signed by us passes).
      typ: TOKEN_TYPE,
      // jose checks iat only with maxTokenAge: this rejects an iat in the future (beyond the
      // tolerance) and any token older than the longest lifetime we ever issue.
      maxTokenAge: MAX_TOKEN_LIFETIME_S,
    });
    const tenantId = payload["tid"];
    if (typeof tenantId !== "string" || payload.scope !== TOKEN_SCOPE) {
      throw new TokenRejected("token lacks the SCIM tenant claim");
    }
    return {
      tenantId,
      clientId: payload.sub!,
      jti: payload.jti!,
      issuedAt: payload.iat!,
      expiresAt: payload.exp!,
      ...(typeof payload["shard"] === "string" ? { shard: payload["shard"] } : {}),
    };
  } catch (err) {
    if (err instanceof TokenRejected) throw err;
    if (err instanceof joseErrors.JWTExpired) throw new TokenRejected("token expired");
    if (err instanceof joseErrors.JWTClaimValidationFailed) {
      throw new TokenRejected(`token claim "${err.claim}" is invalid`);
    }
    if (err instanceof joseErrors.JOSEError) throw new TokenRejected("invalid token signature");
    // Anything else is our bug (a bad key, a typo), not a bad token: it must surface as a 500.
    throw err;
  }
}
