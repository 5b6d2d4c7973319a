// The one token service behind both token endpoints (/oauth/token and the Eptura-style
// /api/V1/token): authenticate a client, check the lifetime, sign the token and record it (so it
// can be listed and revoked). The endpoints only translate their request and response shapes.
// The client's tenant and shard come from the directory; the client row and the token's record
// are on that shard, and the token carries the shard for the SCIM requests it authorizes.
import type { Bindings, Config } from "../config";
import { clientPlacement } from "./storage/client-directory";
import type { Db } from "../platform/d1/db";
import { shardDb } from "../platform/d1/shards";
import { findClient, insertIssuedToken } from "../tenancy/port";
import { GALLERY_MAX_LIFETIME_S, GALLERY_MIN_LIFETIME_S, inGalleryWindow, tokenPolicy } from "./storage/token-policy";
import { verifySecret } from "./client-secret";
import { loadKeyRing } from "./keys";
import { OAuthError } from "./oauth-error";
import { issueToken, MAX_TOKEN_LIFETIME_S, MIN_TOKEN_LIFETIME_S } from "./tokens";

export interface IssuedAccessToken {
  accessToken: string;
  jti: string;
  expiresIn: number;
  expiresAt: string;
}

export interface TokenServiceDeps {
  config: Config;
  origin: string;
  now: Date;
}

/** Where the client's tenant lives: its shard's name and database. */
export interface TenantShardDb {
  shard: string;
  db: Db;
}

/**
 * A requested lifetime in seconds (a JSON number or a decimal string) checked against our bounds;
 * absent means `fallback`. `field` names the parameter in the error, in the caller's dialect.
 */
export function parseLifetime(value: string | number | undefined, fallback: number, field: string): number {
  if (value === undefined || value === "") return fallback;
  // Strings must be plain decimal digits: Number() would also take "1e3", "0x10" and " 60 ".
  const n = typeof value === "number" ? value : /^[0-9]{1,12}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < MIN_TOKEN_LIFETIME_S || n > MAX_TOKEN_LIFETIME_S) {
    throw new OAuthError(
      "invalid_request",
      `${field} must be an integer between ${MIN_TOKEN_LIFETIME_S} and ${MAX_TOKEN_LIFETIME_S} seconds`,
    );
  }
  return n;
}

/**
 * Client credentials → a recorded access token. Unknown client, wrong secret and revoked client
 * all fail the same way (401 invalid_client), so the answer reveals nothing about which ids exist.
 */
export async function grantClientToken(
  deps: TokenServiceDeps & { env: Bindings; directory: Db },
  credentials: { clientId: string; secret: string },
  lifetimeSeconds: number,
): Promise<IssuedAccessToken> {
  const placed = await clientPlacement(deps.directory, credentials.clientId);
  const where = placed && { shard: placed.shard, db: shardDb(deps.env, placed.shard) };
  const client = where ? await findClient(where.db, placed.tenantId, credentials.clientId) : undefined;
  // Hash even when the client is unknown, so response time does not reveal which ids exist.
  const secretOk = await verifySecret(credentials.secret, client?.secretHash ?? "0".repeat(64));
  if (!where || !client || !secretOk || client.status !== "active") {
    throw new OAuthError("invalid_client", "client authentication failed");
  }
  // A tenant in gallery mode issues only what Entra's app gallery accepts (docs/auth.md).
  if (!inGalleryWindow(lifetimeSeconds) && (await tokenPolicy(where.db, client.tenantId)) === "gallery") {
    throw new OAuthError(
      "invalid_request",
      `this tenant is in gallery mode: tokens last ${GALLERY_MIN_LIFETIME_S}–${GALLERY_MAX_LIFETIME_S} seconds (60–360 minutes)`,
    );
  }
  return issueAccessToken(deps, where, client, lifetimeSeconds);
}

/** Sign a token for a client of the tenant on `where` and record it there. */
export async function issueAccessToken(
  deps: TokenServiceDeps,
  where: TenantShardDb,
  client: { tenantId: string; clientId: string },
  lifetimeSeconds: number,
  /** Who asked for it (the admin API); absent: the client itself, at the token endpoint. */
  creator?: { createdBy: string; endsWithCreator: boolean },
): Promise<IssuedAccessToken> {
  const ring = await loadKeyRing(deps.config);
  const jti = crypto.randomUUID();
  const { token, expiresAt, issuedAt } = await issueToken(
    ring,
    { issuer: deps.origin, audience: `${deps.origin}/scim/v2` },
    { tenantId: client.tenantId, clientId: client.clientId, jti, shard: where.shard, lifetimeSeconds, now: deps.now },
  );
  const expiresAtIso = new Date(expiresAt * 1000).toISOString();
  await insertIssuedToken(where.db, {
    tenantId: client.tenantId,
    clientId: client.clientId,
    jti,
    issuedAt: new Date(issuedAt * 1000).toISOString(),
    expiresAt: expiresAtIso,
    revokedAt: null,
    ...creator,
  });
  return { accessToken: token, jti, expiresIn: lifetimeSeconds, expiresAt: expiresAtIso };
}
