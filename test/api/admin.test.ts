// Admin API (/admin/v1, ADMIN_TOKEN): tenants, SCIM clients (secret shown once, revoke, rotate),
// long-lived tokens for Entra's "Secret Token" field, token listing and single-token revocation.
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, admin, call, json } from "../support/http";
import { decode } from "../support/forge";
import { newTenant, requestToken } from "../support/tenant";

type Json = Record<string, any>;

async function expectAdminError(res: Response, status: number, message: RegExp) {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  const body = await json<Json>(res);
  expect(body).toEqual({ error: { status, message: expect.stringMatching(message) } });
}

const scimWorks = async (token: string) => (await call("/scim/v2/ServiceProviderConfig", { token })).status;
const tokenStatus = async (clientId: string, secret: string) =>
  (
    await call("/oauth/token", {
      method: "POST",
      rawBody: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    })
  ).status;

describe("admin authentication", () => {
  it.each([
    ["no Authorization header", undefined],
    ["a wrong admin token", `Bearer ${ADMIN_TOKEN}x`],
    ["a prefix of the admin token", `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
    ["the admin token under Basic", `Basic ${ADMIN_TOKEN}`],
  ])("401 with %s", async (_name, authorization) => {
    const headers: Record<string, string> = authorization ? { Authorization: authorization } : {};
    for (const [method, path] of [["GET", "/admin/v1/tenants"], ["POST", "/admin/v1/tenants"], ["GET", "/admin/v1/tenants/x/clients"]] as const) {
      const res = await call(path, { method, headers, ...(method === "POST" ? { body: { name: "x" } } : {}) });
      expect(res.headers.get("WWW-Authenticate")).toBe(`Bearer realm="admin"`);
      await expectAdminError(res, 401, /missing or invalid admin token/);
    }
  });

  it("401 with a valid SCIM access token instead of the admin token", async () => {
    const t = await newTenant();
    await expectAdminError(await call("/admin/v1/tenants", { token: t.token }), 401, /admin token/);
    await expectAdminError(await call(`/admin/v1/tenants/${t.id}`, { token: t.token }), 401, /admin token/);
  });
});

describe("tenants", () => {
  it("create (trimmed name, Location), get (with SCIM connection settings) and list", async () => {
    const name = `Acme ${crypto.randomUUID()}`;
    const res = await admin("/tenants", { body: { name: `  ${name}  ` } });
    expect(res.status).toBe(201);
    const created = await json<Json>(res);
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), name, createdAt: expect.any(String), state: "active", deletedAt: null,
      shard: expect.stringMatching(/^DB(_1)?$/),
    });
    expect(res.headers.get("Location")).toBe(`https://scim.test/admin/v1/tenants/${created.id}`);
    expect(await json(await admin(`/tenants/${created.id}`))).toEqual({
      ...created,
      scim: { tenantUrl: "https://scim.test/scim/v2", tokenEndpoint: "https://scim.test/oauth/token" },
    });
    const { tenants } = await json<{ tenants: Json[] }>(await admin("/tenants"));
    expect(tenants).toContainEqual(created);
  });

  it("404 for an unknown tenant on every tenant route", async () => {
    const id = crypto.randomUUID();
    for (const [method, path, body] of [
      ["GET", `/tenants/${id}`, undefined],
      ["GET", `/tenants/${id}/clients`, undefined],
      ["POST", `/tenants/${id}/clients`, { name: "entra" }],
      ["DELETE", `/tenants/${id}/tokens/${crypto.randomUUID()}`, undefined],
    ] as const) {
      await expectAdminError(await admin(path, { method, ...(body ? { body } : {}) }), 404, new RegExp(`tenant ${id} not found`));
    }
  });

  it.each<[string, number, { body?: unknown; rawBody?: string; headers?: Record<string, string> }, RegExp]>([
    ["missing name", 400, { body: {} }, /^name: name is required/],
    ["blank name", 400, { body: { name: "   " } }, /^name: name is required/],
    ["name not a string", 400, { body: { name: 42 } }, /^name: name is required/],
    ["name too long", 400, { body: { name: "x".repeat(201) } }, /^name: /],
    ["a JSON array", 400, { body: [] }, /expected object/],
    ["malformed JSON", 400, { rawBody: '{"name": "x"' }, /request body is not valid JSON/],
    ["an empty body", 400, { rawBody: "" }, /request body is empty/],
    ["a non-JSON content type", 415, { rawBody: "name=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } }, /unsupported Content-Type/],
  ])("create with %s → %i with a clear JSON message", async (_name, status, opts, message) => {
    await expectAdminError(await admin("/tenants", { method: "POST", ...opts }), status, message);
  });
});

describe("clients", () => {
  it("create shows the secret once; list never shows it", async () => {
    const t = await newTenant();
    const res = await admin(`/tenants/${t.id}/clients`, { body: { name: "second" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const created = await json<Json>(res);
    expect(created).toEqual({
      client_id: expect.stringMatching(/^scim_[A-Za-z0-9_-]{16}$/),
      client_secret: expect.stringMatching(/^scs_[A-Za-z0-9_-]{43}$/),
      name: "second",
      status: "active",
      created_at: expect.any(String),
      token_endpoint: "https://scim.test/oauth/token",
      scim_base_url: "https://scim.test/scim/v2",
      created_by: "operator",
      ends_with_creator: false,
    });
    const listRes = await admin(`/tenants/${t.id}/clients`);
    const text = await listRes.clone().text();
    expect(text).not.toContain(created.client_secret);
    expect(text).not.toContain(t.clientSecret);
    const { clients } = await json<{ clients: Json[] }>(listRes);
    expect(clients.map((c) => c.client_id).sort()).toEqual([t.clientId, created.client_id].sort());
    for (const c of clients) {
      expect(Object.keys(c).sort()).toEqual(["client_id", "created_at", "created_by", "ends_with_creator", "name", "revoked_at", "secret_rotated_at", "status"]);
    }
  });

  it("revoke: existing tokens die at once, no new tokens, shown as revoked, second revoke 404", async () => {
    const t = await newTenant();
    const longLived = await json<Json>(await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`, { body: { expires_in: 315360000 } }));
    expect(await scimWorks(t.token)).toBe(200);
    expect(await scimWorks(longLived.access_token)).toBe(200);
    expect((await admin(`/tenants/${t.id}/clients/${t.clientId}`, { method: "DELETE" })).status).toBe(204);
    expect(await scimWorks(t.token)).toBe(401);
    expect(await scimWorks(longLived.access_token)).toBe(401);
    expect(await tokenStatus(t.clientId, t.clientSecret)).toBe(401);
    const { clients } = await json<{ clients: Json[] }>(await admin(`/tenants/${t.id}/clients`));
    expect(clients[0]).toMatchObject({ client_id: t.clientId, status: "revoked", revoked_at: expect.any(String) });
    await expectAdminError(await admin(`/tenants/${t.id}/clients/${t.clientId}`, { method: "DELETE" }), 404, /already revoked/);
    await expectAdminError(await admin(`/tenants/${t.id}/clients/${t.clientId}/rotate`, { method: "POST" }), 404, /revoked/);
    await expectAdminError(await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`, { body: {} }), 404, /revoked/);
  });

  it("rotate: old secret fails, new secret works, tokens issued before stay valid", async () => {
    const t = await newTenant();
    const res = await admin(`/tenants/${t.id}/clients/${t.clientId}/rotate`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const rotated = await json<Json>(res);
    expect(rotated).toEqual({ client_id: t.clientId, client_secret: expect.stringMatching(/^scs_/), secret_rotated_at: expect.any(String) });
    expect(rotated.client_secret).not.toBe(t.clientSecret);
    expect(await tokenStatus(t.clientId, t.clientSecret)).toBe(401);
    expect(await scimWorks(await requestToken(t.clientId, rotated.client_secret))).toBe(200);
    expect(await scimWorks(t.token)).toBe(200);
    const { clients } = await json<{ clients: Json[] }>(await admin(`/tenants/${t.id}/clients`));
    expect(clients[0]!.secret_rotated_at).toBe(rotated.secret_rotated_at);
  });

  it("a tenant's admin routes cannot touch another tenant's client", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    await expectAdminError(await admin(`/tenants/${b.id}/clients/${a.clientId}`, { method: "DELETE" }), 404, /client not found/);
    await expectAdminError(await admin(`/tenants/${b.id}/clients/${a.clientId}/rotate`, { method: "POST" }), 404, /client not found/);
    await expectAdminError(await admin(`/tenants/${b.id}/clients/${a.clientId}/tokens`, { body: {} }), 404, /client not found/);
    await expectAdminError(await admin(`/tenants/${b.id}/clients/${a.clientId}/tokens`), 404, /client not found/);
    expect(await tokenStatus(a.clientId, a.clientSecret)).toBe(200);
    expect(await scimWorks(a.token)).toBe(200);
  });
});

describe("tokens through the admin API", () => {
  it("issues a 10-year token (Entra Secret Token) that works on SCIM routes", async () => {
    const t = await newTenant();
    const res = await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`, { body: { expires_in: 315360000 } });
    expect(res.status).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = await json<Json>(res);
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 315360000,
      expires_at: expect.any(String),
      jti: expect.any(String),
      created_by: "operator",
      ends_with_creator: false,
    });
    const { claims } = decode(body.access_token);
    expect(claims.exp! - claims.iat!).toBe(315360000);
    expect(claims.jti).toBe(body.jti);
    expect(new Date(body.expires_at).getTime()).toBe(claims.exp! * 1000);
    expect(await scimWorks(body.access_token)).toBe(200);
  });

  it("defaults to one hour without a body", async () => {
    const t = await newTenant();
    const res = await call(`/admin/v1/tenants/${t.id}/clients/${t.clientId}/tokens`, { method: "POST", token: ADMIN_TOKEN });
    expect(res.status).toBe(201);
    expect((await json<Json>(res)).expires_in).toBe(3600);
  });

  it.each<[string, { body?: unknown; rawBody?: string }, RegExp]>([
    ["more than 10 years", { body: { expires_in: 315360001 } }, /^expires_in: /],
    ["below the minimum", { body: { expires_in: 59 } }, /^expires_in: /],
    ["not an integer", { body: { expires_in: 3600.5 } }, /^expires_in: /],
    ["a string", { body: { expires_in: "3600" } }, /^expires_in: /],
    ["malformed JSON (not silently the default)", { rawBody: "{expires_in: 3600" }, /request body is not valid JSON/],
  ])("rejects %s → 400", async (_name, opts, message) => {
    const t = await newTenant();
    await expectAdminError(await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`, { method: "POST", ...opts }), 400, message);
  });

  it("lists issued tokens and revokes a single one by jti; the client's other tokens keep working", async () => {
    const t = await newTenant();
    const longLived = await json<Json>(await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`, { body: { expires_in: 86400 } }));
    const firstJti = String(decode(t.token).claims.jti);
    const { tokens } = await json<{ tokens: Json[] }>(await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`));
    expect(tokens.map((x) => x.jti).sort()).toEqual([firstJti, longLived.jti].sort());
    for (const x of tokens) {
      // Both were made to last a day or less: short-lived tokens renew themselves, never flagged
      // (test/api/expiring-tokens.test.ts flags the longer ones).
      expect(x).toEqual({
        jti: expect.any(String),
        client_id: t.clientId,
        issued_at: expect.any(String),
        expires_at: expect.any(String),
        revoked_at: null,
        expiring_soon: false,
        // The admin API's token names the operator; the token endpoint's names nobody (the client).
        created_by: x.jti === firstJti ? null : "operator",
        ends_with_creator: false,
      });
    }

    expect((await admin(`/tenants/${t.id}/tokens/${longLived.jti}`, { method: "DELETE" })).status).toBe(204);
    expect(await scimWorks(longLived.access_token)).toBe(401);
    expect(await scimWorks(t.token)).toBe(200);
    const after = await json<{ tokens: Json[] }>(await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`));
    expect(after.tokens.find((x) => x.jti === longLived.jti)!.revoked_at).toEqual(expect.any(String));
    await expectAdminError(await admin(`/tenants/${t.id}/tokens/${longLived.jti}`, { method: "DELETE" }), 404, /already revoked/);
  });

  it("a jti cannot be revoked through another tenant", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const jti = String(decode(a.token).claims.jti);
    await expectAdminError(await admin(`/tenants/${b.id}/tokens/${jti}`, { method: "DELETE" }), 404, /token not found/);
    expect(await scimWorks(a.token)).toBe(200);
  });
});
