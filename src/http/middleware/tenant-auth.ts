// Bearer JWT on /scim/v2/*: jose verification (pinned alg, issuer, audience, expiry), then the
// revocation check, which costs no round trip of its own: it rides in the request's first D1
// batch (reads) or guards the write batch (src/storage/token-gate.ts); a request that touched no
// data settles it here after the handler, before the response leaves. Revocation stays immediate.
// The tenant comes from the verified token only. A tenant may also trust tokens its Entra tenant
// issues (src/auth/entra-tokens.ts); those are tried only when ours fail and the issuer is Entra.
import { createMiddleware } from "hono/factory";
import { entraIssuerTenant, verifyEntraToken } from "../../auth/entra-tokens";
import { loadKeyRing } from "../../auth/keys";
import { TokenRejected, verifyToken } from "../../auth/tokens";
import { unauthorized } from "../../scim/errors";
import { createTokenGate, isKnownRevoked, REVOKED_DETAIL } from "../../storage/token-gate";
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
    c.set("gate", createTokenGate(c.get("db"), undefined));
    await next();
    return;
  }
  const auth = { tenantId: claims.tenantId, clientId: claims.clientId, jti: claims.jti };
  if (isKnownRevoked(auth)) throw unauthorized(REVOKED_DETAIL);
  const gate = createTokenGate(c.get("db"), auth);
  c.set("auth", auth);
  c.set("gate", gate);
  await next();
  // Discovery reads no data, so nothing has checked yet; a handler that caught the gate's 401
  // (Bulk records per-operation errors) must not answer 200 either.
  await gate.settle();
});
