// Bearer JWT on /scim/v2/*: jose verification (pinned alg, issuer, audience, expiry), then one
// indexed D1 read so that revoking a client or a token takes effect on the next request.
// The tenant comes from the verified token only.
import { createMiddleware } from "hono/factory";
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
    if (err instanceof TokenRejected) throw unauthorized(err.message);
    throw err;
  }
  const live = await tokenStillValid(c.get("db"), claims.tenantId, claims.clientId, claims.jti);
  if (live.length === 0) throw unauthorized("token or client has been revoked");
  c.set("auth", { tenantId: claims.tenantId, clientId: claims.clientId, jti: claims.jti });
  await next();
});
