// A stand-in for Entra in workload identity federation: a local RS256 key pair whose public half
// the Device Hub emulator serves as a JWKS (/__test/jwks/{name}, reached through env.DEVICE_HUB;
// as test/security/entra-tokens.test.ts does), a tenant whose Entra trust names the Entra tenant
// and application, and tokens signed the way Entra signs an app's client-credentials token.
import { env } from "cloudflare:test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { expect } from "vitest";
import { admin, call } from "./http";
import type { Json } from "./scim";
import { newTenant } from "./tenant";

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface EntraTokenOptions {
  key?: CryptoKey;
  kid?: string;
  iss?: string;
  aud?: string;
  exp?: number;
}

/**
 * A new Entra tenant's signing key, its public half published as a JWKS by the Device Hub
 * emulator; `sign` makes a token as that tenant's STS does (tid, uti, then the claims given).
 */
export async function entraKeys() {
  const entraTenantId = crypto.randomUUID();
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `kid-${crypto.randomUUID().slice(0, 8)}`;
  const jwksUrl = `http://device-hub/__test/jwks/${crypto.randomUUID()}`;
  const put = await env.DEVICE_HUB!.fetch(jwksUrl, {
    method: "PUT",
    body: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }] }),
  });
  expect(put.status).toBe(204);
  const sign = (claims: Json, audience: string, o: EntraTokenOptions = {}) =>
    new SignJWT({ tid: entraTenantId, uti: crypto.randomUUID(), ...claims })
      .setProtectedHeader({ alg: "RS256", kid: o.kid ?? kid, typ: "JWT" })
      .setIssuer(o.iss ?? `https://sts.windows.net/${entraTenantId}/`)
      .setAudience(o.aud ?? audience)
      .setIssuedAt()
      .setExpirationTime(o.exp ?? Math.floor(Date.now() / 1000) + 3600)
      .sign(o.key ?? privateKey);
  return { entraTenantId, jwksUrl, sign };
}

export async function federationSetup(opts: { trust?: Json } = {}) {
  const appId = crypto.randomUUID();
  const keys = await entraKeys();
  const { entraTenantId, jwksUrl } = keys;
  const t = await newTenant();
  const trust = await admin(`/tenants/${t.id}/entra-tokens`, {
    method: "PUT",
    body: { entraTenantId, jwksUrl, appId, assertionAudience: `api://${appId}`, ...opts.trust },
  });
  expect(trust.status, await trust.clone().text()).toBe(200);
  /** A v1 token Entra issues the app for scope api://{appId}/.default (what the Logic App exchanges). */
  const sign = (claims: Json = {}, o: EntraTokenOptions = {}) =>
    keys.sign({ appid: appId, oid: crypto.randomUUID(), sub: crypto.randomUUID(), ver: "1.0", ...claims }, `api://${appId}`, o);
  /** POST /oauth/token as the Logic App's Acquire_Federated_Token does (plus any extra fields). */
  const exchange = (assertion: string, extra: Record<string, string> = {}) =>
    call("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      rawBody: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: t.clientId,
        client_assertion: assertion,
        client_assertion_type: JWT_BEARER,
        baseAddress: "https://scim.test/scim/v2",
        ...extra,
      }).toString(),
    });
  return { t, entraTenantId, appId, jwksUrl, sign, exchange };
}
