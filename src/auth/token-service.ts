// Issue an access token for a client: sign it and record it (so it can be listed and revoked).
import type { Config } from "../config";
import type { Db } from "../storage/db";
import { insertIssuedToken } from "../storage/tenants";
import { loadKeyRing } from "./keys";
import { issueToken } from "./tokens";

export interface IssuedAccessToken {
  accessToken: string;
  jti: string;
  expiresIn: number;
  expiresAt: string;
}

export async function issueAccessToken(
  deps: { db: Db; config: Config; origin: string; now: Date },
  client: { tenantId: string; clientId: string },
  lifetimeSeconds: number,
): Promise<IssuedAccessToken> {
  const ring = await loadKeyRing(deps.config);
  const jti = crypto.randomUUID();
  const { token, expiresAt, issuedAt } = await issueToken(
    ring,
    { issuer: deps.origin, audience: `${deps.origin}/scim/v2` },
    { tenantId: client.tenantId, clientId: client.clientId, jti, lifetimeSeconds, now: deps.now },
  );
  const expiresAtIso = new Date(expiresAt * 1000).toISOString();
  await insertIssuedToken(deps.db, {
    tenantId: client.tenantId,
    clientId: client.clientId,
    jti,
    issuedAt: new Date(issuedAt * 1000).toISOString(),
    expiresAt: expiresAtIso,
    revokedAt: null,
  });
  return { accessToken: token, jti, expiresIn: lifetimeSeconds, expiresAt: expiresAtIso };
}
