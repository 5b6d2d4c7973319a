// Edge authentication on /scim/v2/*: every forged, expired, misaddressed or revoked token is a
// 401 SCIM error with `WWW-Authenticate: Bearer`; a token re-signed with the retired (still
// trusted) key is accepted, which is what key rotation relies on.
import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { admin, call, json, ORIGIN } from "../support/http";
import { expectScimError } from "../support/scim";
import { newTenant, type TestTenant } from "../support/tenant";
import {
  claimsFor,
  decode,
  hs256Token,
  nowS,
  RETIRED_KID,
  signWithRetiredKey,
  signWithStrangerKey,
  tamper,
  unsignedToken,
  type Claims,
} from "../support/forge";

const PROBE = "/scim/v2/ServiceProviderConfig";

async function expectRejected(res: Response, detail?: string | RegExp) {
  expect(res.headers.get("WWW-Authenticate") ?? "").toMatch(/^Bearer\b/);
  await expectScimError(res, 401, undefined, detail);
}

const probe = (authorization?: string, path = PROBE) =>
  call(path, authorization === undefined ? {} : { headers: { Authorization: authorization } });

/** The tenant's own token, decoded, with the identity the server recorded for it. */
function identity(t: TestTenant) {
  const { claims } = decode(t.token);
  return { tenantId: t.id, clientId: t.clientId, jti: String(claims.jti) };
}

async function activePublicKeyBytes(): Promise<{ x: Uint8Array; jwkText: Uint8Array }> {
  const { keys } = await json<{ keys: { kid: string; x: string }[] }>(await call("/.well-known/jwks.json"));
  const active = keys.find((k) => k.kid === "test-active")!;
  return { x: base64url.decode(active.x), jwkText: new TextEncoder().encode(JSON.stringify(active)) };
}

describe("malformed or missing credentials → 401 Bearer challenge", () => {
  it.each([
    ["no Authorization header", undefined, /missing bearer token/],
    ["Basic scheme", `Basic ${btoa("client:secret")}`, /missing bearer token/],
    ["Bearer without a token", "Bearer ", /missing bearer token/],
    ["two tokens", "Bearer a.b.c d.e.f", /missing bearer token/],
    ["garbage token", "Bearer not-a-jwt", /malformed token/],
    ["three garbage segments", "Bearer aaa.bbb.ccc", /malformed token/],
  ])("%s", async (_name, authorization, detail) => {
    await expectRejected(await probe(authorization), detail);
  });

  it("the tenant's valid token passes the same probe (the rejections above are about the token)", async () => {
    const t = await newTenant();
    expect((await probe(`Bearer ${t.token}`)).status).toBe(200);
    expect((await probe(`bearer ${t.token}`)).status).toBe(200);
  });
});

describe("forged signatures and algorithm confusion", () => {
  it("alg none with the active kid, and without any kid", async () => {
    const t = await newTenant();
    const claims = claimsFor(identity(t), ORIGIN);
    await expectRejected(await probe(`Bearer ${unsignedToken(claims)}`), /unexpected algorithm/);
    await expectRejected(await probe(`Bearer ${unsignedToken(claims, { kid: undefined })}`), /unknown signing key/);
  });

  it("HS256 keyed with the published public key (raw bytes, or its JWK text)", async () => {
    const t = await newTenant();
    const claims = claimsFor(identity(t), ORIGIN);
    const { x, jwkText } = await activePublicKeyBytes();
    for (const secret of [x, jwkText]) {
      await expectRejected(await probe(`Bearer ${await hs256Token(claims, secret)}`), /unexpected algorithm/);
      await expectRejected(await probe(`Bearer ${await hs256Token(claims, secret, { kid: RETIRED_KID })}`), /unexpected algorithm/);
    }
  });

  it.each<[string, Claims]>([
    ["tid", { tid: "00000000-0000-0000-0000-000000000000" }],
    ["sub", { sub: "scim_someoneelse" }],
    ["exp", { exp: nowS() + 10 * 365 * 86400 }],
    ["scope", { scope: "scim admin" }],
  ])("payload tampered (%s changed), original signature kept", async (_claim, change) => {
    const t = await newTenant();
    await expectRejected(await probe(`Bearer ${tamper(t.token, { claims: change })}`), /invalid token signature/);
  });

  it("a real token whose header now names the retired kid (signature no longer matches)", async () => {
    const t = await newTenant();
    await expectRejected(await probe(`Bearer ${tamper(t.token, { header: { kid: RETIRED_KID } })}`), /invalid token signature/);
  });

  it("signed by a key we never trusted, under the active kid, even with that key embedded as jwk", async () => {
    const t = await newTenant();
    const claims = claimsFor(identity(t), ORIGIN);
    const plain = await signWithStrangerKey(claims);
    await expectRejected(await probe(`Bearer ${plain.token}`), /invalid token signature/);
    const embedded = await signWithStrangerKey(claims, { jwk: plain.publicJwk });
    await expectRejected(await probe(`Bearer ${embedded.token}`), /invalid token signature/);
  });

  it("unknown kid", async () => {
    const t = await newTenant();
    const { token } = await signWithStrangerKey(claimsFor(identity(t), ORIGIN), { kid: "attacker-key" });
    await expectRejected(await probe(`Bearer ${token}`), /unknown signing key/);
  });
});

// Signed with the retired key, so the signature is valid and only the claim under test is wrong.
describe("validly signed tokens with wrong claims", () => {
  it.each<[string, (c: Claims) => Claims, RegExp]>([
    ["wrong issuer", (c) => ({ ...c, iss: "https://evil.test" }), /"iss"/],
    ["wrong audience", (c) => ({ ...c, aud: "https://evil.test/scim/v2" }), /"aud"/],
    ["audience of the token endpoint, not the SCIM base", (c) => ({ ...c, aud: ORIGIN }), /"aud"/],
    ["expired an hour ago", (c) => ({ ...c, iat: nowS() - 7200, exp: nowS() - 3600 }), /token expired/],
    ["not valid before tomorrow (nbf)", (c) => ({ ...c, nbf: nowS() + 86400 }), /"nbf"/],
    ["issued in the future (iat)", (c) => ({ ...c, iat: nowS() + 86400, exp: nowS() + 90000 }), /"iat"/],
    ["no jti", ({ jti: _j, ...c }) => c, /"jti"/],
    ["no tenant claim", ({ tid: _t, ...c }) => c, /tenant claim/],
    ["scope other than scim", (c) => ({ ...c, scope: "openid" }), /tenant claim/],
  ])("%s → 401", async (_name, change, detail) => {
    const t = await newTenant();
    const token = await signWithRetiredKey(change(claimsFor(identity(t), ORIGIN)));
    await expectRejected(await probe(`Bearer ${token}`), detail);
  });

  it("a JWT that is not an access token (typ JWT) → 401", async () => {
    const t = await newTenant();
    const token = await signWithRetiredKey(claimsFor(identity(t), ORIGIN), { typ: "JWT" });
    await expectRejected(await probe(`Bearer ${token}`), /"typ"/);
  });

  it("a jti the server never issued (valid signature, real tenant and client) → 401", async () => {
    const t = await newTenant();
    const token = await signWithRetiredKey(claimsFor({ ...identity(t), jti: crypto.randomUUID() }, ORIGIN));
    await expectRejected(await probe(`Bearer ${token}`), /revoked/);
  });

  it("a token is bound to the origin that issued it: another host rejects it (iss/aud)", async () => {
    const t = await newTenant();
    await expectRejected(await probe(`Bearer ${t.token}`, `https://other.test${PROBE}`), /"iss"|"aud"/);
  });
});

describe("revocation takes effect on the next request", () => {
  it("revoking the client kills its tokens", async () => {
    const t = await newTenant();
    expect((await probe(`Bearer ${t.token}`)).status).toBe(200);
    expect((await admin(`/tenants/${t.id}/clients/${t.clientId}`, { method: "DELETE" })).status).toBe(204);
    await expectRejected(await probe(`Bearer ${t.token}`), /revoked/);
  });

  it("revoking one jti kills that token only", async () => {
    const t = await newTenant();
    const { jti } = identity(t);
    const other = await newTenant();
    expect((await admin(`/tenants/${t.id}/tokens/${jti}`, { method: "DELETE" })).status).toBe(204);
    await expectRejected(await probe(`Bearer ${t.token}`), /revoked/);
    expect((await probe(`Bearer ${other.token}`)).status).toBe(200);
  });
});

describe("tenant isolation of the tid claim", () => {
  it("tenant A's token with tid changed to tenant B fails its signature", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    await expectRejected(await probe(`Bearer ${tamper(a.token, { claims: { tid: b.id } })}`), /invalid token signature/);
  });

  it("even validly signed, tid B with A's client and jti matches no live token → 401", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const asB = await signWithRetiredKey(claimsFor({ ...identity(a), tenantId: b.id }, ORIGIN));
    await expectRejected(await probe(`Bearer ${asB}`), /revoked/);
    const bClientAJti = await signWithRetiredKey(claimsFor({ ...identity(b), jti: identity(a).jti }, ORIGIN));
    await expectRejected(await probe(`Bearer ${bClientAJti}`), /revoked/);
  });
});

describe("key rotation", () => {
  it("a token signed with the retired key (same claims as an issued token) is accepted for its tenant", async () => {
    const t = await newTenant();
    const { claims } = decode(t.token);
    const resigned = await signWithRetiredKey(claims);
    expect(decode(resigned).header.kid).toBe(RETIRED_KID);
    const res = await probe(`Bearer ${resigned}`);
    expect(res.status, await res.clone().text()).toBe(200);
    // The tenant really comes from the claim: a user created with the normal token is visible.
    const created = await call("/scim/v2/Users", { token: t.token, body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `rot-${claims.jti}@example.com` } });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = await json<{ id: string }>(created);
    expect((await call(`/scim/v2/Users/${id}`, { token: resigned })).status).toBe(200);
  });

  it("revoking the jti also kills the re-signed copy (revocation does not depend on the key)", async () => {
    const t = await newTenant();
    const resigned = await signWithRetiredKey(decode(t.token).claims);
    expect((await admin(`/tenants/${t.id}/tokens/${decode(t.token).claims.jti}`, { method: "DELETE" })).status).toBe(204);
    await expectRejected(await probe(`Bearer ${resigned}`), /revoked/);
  });
});
