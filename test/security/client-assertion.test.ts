// Workload identity federation at /oauth/token (RFC 7523): what a client assertion must be to buy
// one of our tokens, and every way a forged, stolen, replayed or misdirected one is refused.
// Entra is stood in for by a local key pair served as a JWKS (test/support/entra-federation.ts).
import { generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { federationSetup, JWT_BEARER } from "../support/entra-federation";
import { admin, call, json } from "../support/http";
import type { Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const refused = async (res: Response, reason: RegExp | string) => {
  expect(res.status).toBe(401);
  const body = await json<Json>(res);
  expect(body.error).toBe("invalid_client");
  expect(body.error_description).toMatch(reason);
};

describe("client assertions at the token endpoint", () => {
  it("a v2 token whose audience is our token endpoint and azp the trusted app is accepted too", async () => {
    const f = await federationSetup({ trust: { assertionAudience: null } });
    const token = await f.sign({ appid: undefined, azp: f.appId, ver: "2.0" }, {
      iss: `https://login.microsoftonline.com/${f.entraTenantId}/v2.0`,
      aud: "https://scim.test/oauth/token",
    });
    const res = await f.exchange(token, { expires_in: "21600" });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await json<Json>(res)).expires_in).toBe(21_600);
  });

  it("is good once: the same assertion (jti/uti) a second time is refused", async () => {
    const f = await federationSetup();
    const token = await f.sign();
    expect((await f.exchange(token)).status).toBe(200);
    await refused(await f.exchange(token), /already used/);
    // A fresh one is fine: the replay key is the token's id, not the app.
    expect((await f.exchange(await f.sign())).status).toBe(200);
  });

  it.each<[string, (f: Awaited<ReturnType<typeof federationSetup>>) => Promise<string>, RegExp]>([
    ["issued to another Entra application", (f) => f.sign({ appid: crypto.randomUUID() }), /trusted Entra application/],
    ["for another audience", (f) => f.sign({}, { aud: "https://graph.microsoft.com" }), /aud/],
    ["from another Entra tenant (issuer)", (f) => f.sign({}, { iss: `https://sts.windows.net/${crypto.randomUUID()}/` }), /iss/],
    ["with a tid that is not the trusted tenant", (f) => f.sign({ tid: crypto.randomUUID() }), /tid/],
    ["expired", (f) => f.sign({}, { exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ["without a token id (jti or uti)", (f) => f.sign({ uti: undefined }), /jti/],
    [
      "signed by a key that is not in the JWKS",
      async (f) => f.sign({}, { key: (await generateKeyPair("RS256")).privateKey }),
      /failed verification/,
    ],
    [
      "signed with HS256 (alg confusion)",
      async (f) => {
        const { SignJWT } = await import("jose");
        return new SignJWT({ tid: f.entraTenantId, appid: f.appId, uti: crypto.randomUUID() })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuer(`https://sts.windows.net/${f.entraTenantId}/`)
          .setAudience(`api://${f.appId}`)
          .setExpirationTime("1h")
          .sign(new TextEncoder().encode("x".repeat(32)));
      },
      /failed verification/,
    ],
  ])("is refused when %s", async (_name, make, reason) => {
    const f = await federationSetup();
    await refused(await f.exchange(await make(f)), reason);
  });

  it("is refused for a tenant without a trusted application, a revoked client, and an unknown client", async () => {
    const f = await federationSetup({ trust: { appId: null } });
    await refused(await f.exchange(await f.sign()), /does not accept client assertions/);

    const g = await federationSetup();
    expect((await admin(`/tenants/${g.t.id}/clients/${g.t.clientId}`, { method: "DELETE" })).status).toBe(204);
    await refused(await g.exchange(await g.sign()), /does not accept client assertions/);

    // Another tenant's client cannot borrow this tenant's trust.
    const h = await federationSetup();
    const other = await newTenant();
    await refused(await h.exchange(await h.sign(), { client_id: other.clientId }), /does not accept client assertions/);
    await refused(await h.exchange(await h.sign(), { client_id: "scim_nobody" }), /does not accept client assertions/);
  });

  it("malformed requests are 400s: wrong assertion type, no client_id, two methods, lifetime outside 60–360 min", async () => {
    const f = await federationSetup();
    const cases: [Record<string, string>, RegExp][] = [
      [{ client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" }, /client_assertion_type/],
      [{ client_id: "" }, /client_id is required/],
      [{ client_secret: f.t.clientSecret }, /one client authentication method/],
      [{ expires_in: "86400" }, /between 3600 and 21600/],
      [{ expires_in: "600" }, /between 3600 and 21600/],
    ];
    for (const [extra, reason] of cases) {
      const res = await f.exchange(await f.sign(), extra);
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect((await json<Json>(res)).error_description).toMatch(reason);
    }
    const noAssertion = await call("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      rawBody: new URLSearchParams({ grant_type: "client_credentials", client_id: f.t.clientId, client_assertion_type: JWT_BEARER }).toString(),
    });
    expect(noAssertion.status).toBe(400);
    expect((await json<Json>(noAssertion)).error_description).toMatch(/client_assertion is required/);
  });

  it("the trust shows what an assertion must carry; appId must be a GUID", async () => {
    const f = await federationSetup();
    const trust = await json<Json>(await admin(`/tenants/${f.t.id}/entra-tokens`));
    expect(trust).toMatchObject({
      appId: f.appId,
      assertionAudience: `api://${f.appId}`,
      federation: {
        tokenEndpoint: "https://scim.test/oauth/token",
        audiences: ["https://scim.test/oauth/token", `api://${f.appId}`],
        issuers: [`https://login.microsoftonline.com/${f.entraTenantId}/v2.0`, `https://sts.windows.net/${f.entraTenantId}/`],
      },
    });
    const bad = await admin(`/tenants/${f.t.id}/entra-tokens`, { method: "PUT", body: { entraTenantId: f.entraTenantId, appId: "not-a-guid" } });
    expect(bad.status).toBe(400);
  });
});
