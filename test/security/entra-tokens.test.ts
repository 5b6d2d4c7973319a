// Entra-issued tokens (issue 6, docs/auth.md): a tenant that opts in accepts RS256 tokens from
// https://sts.windows.net/{its Entra tenant}/ for the provisioning audience, verified against a
// JWKS fetched with createRemoteJWKSet. Here the JWKS is served by the Device Hub emulator's
// /__test/jwks route (a stand-in for login.microsoftonline.com), reached through env.DEVICE_HUB.
import { env } from "cloudflare:test";
import { generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { ENTRA_PROVISIONING_AUDIENCE } from "../../src/access/entra-tokens";
import { upsertTrustRoute } from "../../src/access/storage/entra-trust";
import { directoryDb } from "../../src/platform/d1/shards";
import { entraKeys, type EntraTokenOptions } from "../support/entra-federation";
import { admin, call, json } from "../support/http";
import { scim, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const ENTRA_APP = "00000014-0000-0000-c000-000000000000";

async function entraSetup() {
  const keys = await entraKeys();
  const { entraTenantId, jwksUrl } = keys;
  const t = await newTenant();
  const sign = (claims: Json = {}, opts: EntraTokenOptions = {}) => keys.sign({ appid: ENTRA_APP, ...claims }, ENTRA_PROVISIONING_AUDIENCE, opts);
  const trust = () => admin(`/tenants/${t.id}/entra-tokens`, { method: "PUT", body: { entraTenantId, jwksUrl } });
  return { t, entraTenantId, jwksUrl, sign, trust };
}

const SCIM_401 = { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" };

describe("Entra-issued tokens", () => {
  it("are refused until the tenant opts in, then accepted for that tenant only", async () => {
    const e = await entraSetup();
    const token = await e.sign();
    const before = await call("/scim/v2/Users", { token });
    expect(before.status).toBe(401);
    expect(await json(before)).toMatchObject({ ...SCIM_401, detail: expect.stringContaining("no tenant accepts") });

    const put = await e.trust();
    expect(put.status).toBe(200);
    expect(await json(put)).toMatchObject({ entraTenantId: e.entraTenantId, audience: ENTRA_PROVISIONING_AUDIENCE, issuer: `https://sts.windows.net/${e.entraTenantId}/` });

    // The token lands on the trusting tenant: it sees that tenant's users and nobody else's.
    const mine = await scim(e.t).createUser();
    const other = await newTenant();
    await scim(other).createUser();
    const list = await call("/scim/v2/Users", { token });
    expect(list.status).toBe(200);
    const body = await json<Json>(list);
    expect(body.Resources.map((u: Json) => u.id)).toEqual([mine.id]);

    // Writes are audited under the Entra app id.
    const created = await call("/scim/v2/Users", { token, body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `e-${crypto.randomUUID()}@example.com` } });
    expect(created.status).toBe(201);
    let entries: Json[] = [];
    for (let i = 0; i < 50 && !entries.some((x) => x.clientId === `entra:${ENTRA_APP}`); i++) {
      entries = (await json<{ entries: Json[] }>(await admin(`/tenants/${e.t.id}/audit`))).entries;
    }
    expect(entries.some((x) => x.clientId === `entra:${ENTRA_APP}` && x.status === 201)).toBe(true);
  });

  it.each<[string, (e: Awaited<ReturnType<typeof entraSetup>>) => Promise<string>, string]>([
    ["wrong audience", (e) => e.sign({}, { aud: "https://graph.microsoft.com" }), "failed verification"],
    ["expired", (e) => e.sign({}, { exp: Math.floor(Date.now() / 1000) - 3600 }), "expired"],
    ["tid not the issuer's tenant", (e) => e.sign({ tid: crypto.randomUUID() }), "tid"],
    ["an Entra tenant nobody trusts", (e) => e.sign({}, { iss: `https://sts.windows.net/${crypto.randomUUID()}/` }), "no tenant accepts"],
    [
      "signed by a key not in the JWKS",
      async (e) => e.sign({}, { key: (await generateKeyPair("RS256")).privateKey, kid: "kid-unknown" }),
      "failed verification",
    ],
    [
      "signed by a key not in the JWKS, with a published kid",
      async (e) => e.sign({}, { key: (await generateKeyPair("RS256")).privateKey }),
      "failed verification",
    ],
    [
      "HS256 with the public JWK as secret",
      async (e) =>
        new SignJWT({ tid: e.entraTenantId })
          .setProtectedHeader({ alg: "HS256" })
          .setIssuer(`https://sts.windows.net/${e.entraTenantId}/`)
          .setAudience(ENTRA_PROVISIONING_AUDIENCE)
          .setExpirationTime("1h")
          .sign(new TextEncoder().encode(e.jwksUrl)),
      "failed verification",
    ],
  ])("are refused when %s", async (_name, make, detail) => {
    const e = await entraSetup();
    expect((await e.trust()).status).toBe(200);
    const res = await call("/scim/v2/Users", { token: await make(e) });
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toContain("Bearer");
    expect(await json(res)).toMatchObject({ ...SCIM_401, detail: expect.stringContaining(detail) });
  });

  it("stop working once the tenant's trust is removed", async () => {
    const e = await entraSetup();
    await e.trust();
    const token = await e.sign();
    expect((await call("/scim/v2/Users", { token })).status).toBe(200);
    expect((await admin(`/tenants/${e.t.id}/entra-tokens`, { method: "DELETE" })).status).toBe(204);
    expect((await call("/scim/v2/Users", { token })).status).toBe(401);
    expect((await admin(`/tenants/${e.t.id}/entra-tokens`)).status).toBe(404);
  });

  it("one Entra tenant maps to one of our tenants; bad settings are 400", async () => {
    const e = await entraSetup();
    await e.trust();
    const other = await newTenant();
    const clash = await admin(`/tenants/${other.id}/entra-tokens`, { method: "PUT", body: { entraTenantId: e.entraTenantId } });
    expect(clash.status).toBe(409);
    for (const body of [{}, { entraTenantId: "contoso" }, { entraTenantId: crypto.randomUUID(), jwksUrl: "http://evil.example/keys" },
      { entraTenantId: crypto.randomUUID(), jwksUrl: "not a url" }, { entraTenantId: crypto.randomUUID(), jwksUrl: "" }]) {
      const res = await admin(`/tenants/${other.id}/entra-tokens`, { method: "PUT", body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const defaults = await json<Json>(await admin(`/tenants/${other.id}/entra-tokens`, { method: "PUT", body: { entraTenantId: crypto.randomUUID() } }));
    expect(defaults.jwksUrl).toBe("https://login.microsoftonline.com/common/discovery/keys");
    expect(defaults.audience).toBe(ENTRA_PROVISIONING_AUDIENCE);
  });
});

describe("Entra-issued tokens: which failures are a 401", () => {
  it("an unreachable JWKS refuses the token (401); a broken stored setting is a 500, not a bad token", async () => {
    const e = await entraSetup();
    // Tokens are verified from the directory's copy of the trust (src/access/storage/entra-trust.ts).
    const db = directoryDb(env);
    const row = { tenantId: e.t.id, entraTenantId: e.entraTenantId, audience: ENTRA_PROVISIONING_AUDIENCE, updatedAt: new Date().toISOString() };
    // Nothing listens on port 1: the fetch itself fails.
    await upsertTrustRoute(db, { ...row, jwksUrl: "http://127.0.0.1:1/keys" });
    const unreachable = await call("/scim/v2/Users", { token: await e.sign() });
    expect(unreachable.status).toBe(401);
    expect(await json(unreachable)).toMatchObject({ ...SCIM_401, detail: expect.stringContaining("signing keys are unavailable") });

    // Written past the admin API's validation: a setting our code cannot use is our fault.
    await upsertTrustRoute(db, { ...row, jwksUrl: "not a url" });
    const broken = await call("/scim/v2/Users", { token: await e.sign() });
    expect(broken.status).toBe(500);
    expect(await json(broken)).toMatchObject({ status: "500", detail: expect.stringMatching(/^internal error/) });
  });
});
