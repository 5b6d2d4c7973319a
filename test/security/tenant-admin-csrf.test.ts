// CSRF on every write a portal cookie can make, and tenant API tokens: no CSRF needed, cannot
// mint their successors, dead after revocation or expiry.
import { describe, expect, it } from "vitest";
import { hashSecret } from "../../src/access/client-secret";
import { TENANT_ROUTES } from "../../src/access/http/tenant-scope";
import { insertTenantApiToken } from "../../src/access/storage/tenant-api-tokens";
import { admin, call, json } from "../support/http";
import { newApiToken, portalSessionFor, withApiToken, withSession } from "../support/portal";
import { provisionedTenant } from "../support/run-cron";
import { newTenant } from "../support/tenant";
import { waitFor } from "../support/wait";
import { tenantD1, tenantDb } from "../support/shard";

const CSRF_REFUSED = { error: { status: 403, message: "missing or invalid CSRF token" } };

describe("CSRF", () => {
  it("every allowed admin write and every portal write refuses a cookie without the right CSRF token, and changes nothing", async () => {
    const { t } = await provisionedTenant();
    const s = await portalSessionFor(t.id);
    const other = await portalSessionFor(t.id);
    const apiToken = await newApiToken(s);
    const before = await Promise.all(["/clients", "/tokens", "/provisioning/parked"].map(async (p) => json(await admin(`/tenants/${t.id}${p}`))));
    const state = async () => (await json<{ state: string }>(await admin(`/tenants/${t.id}/provisioning`))).state;
    const stateBefore = await state();
    const writes = TENANT_ROUTES.filter((r) => !r.startsWith("GET ")).map((r) => {
      const [method, template] = r.split(" ") as [string, string];
      return { method, path: template.replace(":id", t.id).replace(":clientId", t.clientId).replace(/:[A-Za-z]+/g, "x0"), admin: true };
    });
    const portalWrites = [
      { method: "POST", path: "/portal/v1/api-tokens", admin: false },
      { method: "DELETE", path: `/portal/v1/api-tokens/${apiToken.id}`, admin: false },
      { method: "DELETE", path: "/portal/v1/session", admin: false },
    ];
    expect(writes.length).toBeGreaterThanOrEqual(10);
    for (const w of [...writes, ...portalWrites]) {
      for (const csrf of [null, "", "csrf_wrong", other.csrf, s.csrf.toUpperCase()]) {
        const res = await withSession(s, w.path, { method: w.method, csrf, rawBody: JSON.stringify({ name: "x" }) });
        expect(res.status, `${w.method} ${w.path} with ${csrf}`).toBe(403);
        const body = await json(res);
        if (w.admin) expect(body).toEqual(CSRF_REFUSED);
        else expect(body).toMatchObject({ status: "403", detail: "missing or invalid CSRF token" });
      }
    }
    expect(await Promise.all(["/clients", "/tokens", "/provisioning/parked"].map(async (p) => json(await admin(`/tenants/${t.id}${p}`))))).toEqual(before);
    expect(await state()).toBe(stateBefore);
    expect((await withSession(s, "/portal/v1/session")).status).toBe(200);
    expect((await withApiToken(apiToken.token, "/portal/v1/connection")).status).toBe(200);
  });

  it("the right CSRF token lets the same cookie write", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    expect((await withSession(s, `/admin/v1/tenants/${t.id}/clients`, { method: "POST", body: { name: "ok" } })).status).toBe(201);
  });
});

describe("tenant API tokens", () => {
  it("work without CSRF, are listed without their secret, and stop at once when revoked", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    const issued = await newApiToken(s, { name: "ci", expires_in_days: 1 });
    expect(issued.token).toMatch(/^scimta_[0-9a-f-]{36}\.[\w-]{43}$/);
    expect((await withApiToken(issued.token, `/admin/v1/tenants/${t.id}/clients`, { method: "POST", body: { name: "from-script" } })).status).toBe(201);
    const list = async () => json<{ api_tokens: Record<string, unknown>[] }>(await withSession(s, "/portal/v1/api-tokens"));
    // The last use is noted after the response (waitUntil): wait for it, no fixed delay.
    await waitFor(async () => (await list()).api_tokens[0]?.last_used_at !== null);
    const listed = await list();
    expect(listed.api_tokens).toEqual([
      { id: issued.id, name: "ci", created_at: expect.any(String), expires_at: issued.expires_at, revoked_at: null, last_used_at: expect.any(String),
        created_by: expect.stringMatching(/^session:/), ends_with_creator: true },
    ]);
    expect(JSON.stringify(listed)).not.toContain(issued.token);
    expect((await withSession(s, `/portal/v1/api-tokens/${issued.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await withApiToken(issued.token, `/admin/v1/tenants/${t.id}/clients`)).status).toBe(401);
    expect((await withSession(s, `/portal/v1/api-tokens/${issued.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("cannot issue or revoke API tokens or end a session (a stolen token cannot renew itself)", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    const { token, id } = await newApiToken(s);
    expect((await withApiToken(token, "/portal/v1/api-tokens", { method: "POST", body: { name: "next" } })).status).toBe(401);
    expect((await withApiToken(token, "/portal/v1/api-tokens")).status).toBe(401);
    expect((await withApiToken(token, `/portal/v1/api-tokens/${id}`, { method: "DELETE" })).status).toBe(401);
    expect((await withApiToken(token, "/portal/v1/session")).status).toBe(401);
    expect((await withApiToken(token, `/admin/v1/tenants/${t.id}/clients`)).status).toBe(200);
  });

  it("an expired token is 401 (a token row stored already expired)", async () => {
    const t = await newTenant();
    const token = `scimta_${t.id}.${crypto.randomUUID()}`;
    const row = { id: crypto.randomUUID(), tenantId: t.id, name: "old", tokenHash: await hashSecret(token), createdAt: new Date(Date.now() - 2 * 86_400_000).toISOString(), revokedAt: null, lastUsedAt: null };
    await insertTenantApiToken(await tenantDb(t.id), { ...row, expiresAt: new Date(Date.now() - 1000).toISOString() });
    const res = await withApiToken(token, `/admin/v1/tenants/${t.id}/clients`);
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({ error: { status: 401, message: "missing or invalid admin token" } });
    // The same row with a future expiry works: expiry was the only reason.
    await (await tenantD1(t.id)).prepare("UPDATE tenant_api_tokens SET expires_at = ? WHERE id = ?").bind(new Date(Date.now() + 86_400_000).toISOString(), row.id).run();
    expect((await withApiToken(token, `/admin/v1/tenants/${t.id}/clients`)).status).toBe(200);
  });

  it("garbage scimta_ tokens and a session's cookie token as a bearer are 401", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    for (const token of ["scimta_", "scimta_x", `scimta_${"A".repeat(43)}`, `scimta_${t.id}.${"A".repeat(43)}`, s.cookie.split("=")[1]!, s.csrf]) {
      const res = await call(`/admin/v1/tenants/${t.id}/clients`, { token });
      expect(res.status, token).toBe(401);
    }
  });

  it("bad issue bodies are 400 SCIM errors", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    for (const body of [{}, { name: "" }, { name: 5 }, { name: "x", expires_in_days: 0 }, { name: "x", expires_in_days: 366 }, { name: "x", expires_in_days: 1.5 }, { name: "x".repeat(101) }]) {
      const res = await withSession(s, "/portal/v1/api-tokens", { method: "POST", body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await json(res)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: "invalidValue" });
    }
  });
});
