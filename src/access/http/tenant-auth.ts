// Bearer JWT on /scim/v2/*: jose verification (pinned alg, issuer, audience, expiry), then the
// revocation check, which costs no round trip of its own: it rides in the request's first D1
// batch (reads) or guards the write batch (src/access/storage/token-gate.ts); a request that touched no
// data settles it here after the handler, before the response leaves. Revocation stays immediate.
// The tenant comes from the verified token only. A tenant may also trust tokens its Entra tenant
// issues (src/access/entra-tokens.ts); those are tried only when ours fail and the issuer is Entra.
// The tenant's shard comes from our token's shard claim (no directory read; a moved tenant is
// followed by the gate, src/access/storage/tenant-shard.ts) or, for Entra's tokens, from the directory
// read that finds the trust anyway.
import { createMiddleware } from "hono/factory";
import { entraIssuerTenant, verifyEntraToken } from "../entra-tokens";
import { loadKeyRing } from "../keys";
import { TokenRejected, verifyToken } from "../tokens";
import { unauthorized } from "../../scim/errors";
import { openTenantShard } from "../storage/tenant-shard";
import { createTokenGate, isKnownRevoked, REVOKED_DETAIL } from "../storage/token-gate";
import { scimBaseUrl, type ScimEnv } from "../../http/context";

export const tenantAuth = createMiddleware<ScimEnv>(async (c, next) => {
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
    let entra;
    try {
      entra = await verifyEntraToken(c.env, c.get("directory"), match[1]!, new Date());
    } catch (entraErr) {
      if (entraErr instanceof TokenRejected) throw unauthorized(entraErr.message);
      throw entraErr;
    }
    const { shard, ...auth } = entra;
    const tenantShard = openTenantShard(c.env, auth.tenantId, shard);
    c.set("auth", auth);
    c.set("db", tenantShard.db);
    c.set("shard", tenantShard.name());
    c.set("gate", createTokenGate(tenantShard.db, undefined));
    await next();
    return;
  }
  const auth = { tenantId: claims.tenantId, clientId: claims.clientId, jti: claims.jti };
  if (isKnownRevoked(auth)) throw unauthorized(REVOKED_DETAIL);
  const tenantShard = openTenantShard(c.env, auth.tenantId, claims.shard);
  const gate = createTokenGate(tenantShard.db, auth, async () => {
    const moved = await tenantShard.relocate();
    if (moved) c.set("shard", tenantShard.name());
    return moved;
  });
  c.set("db", tenantShard.db);
  c.set("shard", tenantShard.name());
  c.set("auth", auth);
  c.set("gate", gate);
  await next();
  // Discovery reads no data, so nothing has checked yet; a handler that caught the gate's 401
  // (Bulk records per-operation errors) must not answer 200 either.
  await gate.settle();
});
