// Bearer JWT on /scim/v2/*: jose verification (pinned alg, issuer, audience, expiry), then one
// indexed D1 read so that revoking a client or a token takes effect on the next request.
// The tenant comes from the verified token only. A tenant may also trust tokens its Entra tenant
// issues (src/auth/entra-tokens.ts); those are tried only when ours fail and the issuer is Entra.
import { createMiddleware } from "hono/factory";
import { entraIssuerTenant, verifyEntraToken } from "../../auth/entra-tokens";
import { loadKeyRing } from "../../auth/keys";
import { TokenRejected, verifyToken } from "../../auth/tokens";
import { unauthorized } from "../../scim/errors";
import { tokenStillValid } from "../../storage/tenants";
import { scimBaseUrl, type AppEnv } from "../context";

export const tenantAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized("missing bearer token");
  const origin = c.get("origin");
  const ring = await loadKeyRing(c.get("config"));
  let claims;
  try {
    claims = await verifyToken(ring, { issuer: origin, audience: scimBaseUrl(origin) }, match[1]!, new Date());
  } catch (err) {
    if (!(err instanceof TokenRejected)) throw err;
    if (!entraIssuerTenant(match[1]!)) throw unauthorized(err.message);
    // No revocation row for Entra tokens: removing the tenant's trust revokes them all.
    try {
      c.set("auth", await verifyEntraToken(c.env, c.get("db"), match[1]!, new Date()));
    } catch (entraErr) {
      if (entraErr instanceof TokenRejected) throw unauthorized(entraErr.message);
      throw entraErr;
    }
    await next();
    return;
  }
  const live = await tokenStillValid(c.get("db"), claims.tenantId, claims.clientId, claims.jti);
  if (live.length === 0) throw unauthorized("token or client has been revoked");
  c.set("auth", { tenantId: claims.tenantId, clientId: claims.clientId, jti: claims.jti });
  await next();
});
