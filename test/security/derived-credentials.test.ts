// Issue 23, findings 1 and 2: a credential can only create credentials that end with it (unless
// the customer chose to keep them) and that an operator can see and revoke.
// - The CSRF token is never returned by an endpoint the cookie alone can call, nor derivable from
//   the cookie: a stolen cookie alone cannot write.
// - Sign-out and setup-link revocation revoke the API tokens the session created (unless kept),
//   and what those created (unless kept); the SCIM client and token the session itself made for
//   Entra survive sign-out and say so.
// - Revoking an API token revokes what it created unless kept.
// - Operators list, inspect and revoke API tokens and portal sessions; the expiry report lists
//   API tokens.
import { describe, expect, it } from "vitest";
import { admin, call, json } from "../support/http";
import { newApiToken, newSetupLink, portalSessionFor, signIn, withApiToken, withSession, type PortalSession } from "../support/portal";
import { scim, type Json } from "../support/scim";
import { newTenant, requestToken, type TestTenant } from "../support/tenant";

const sha256Hex = async (s: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))].map((b) => b.toString(16).padStart(2, "0")).join("");

/** A SCIM client (and a token for it from the admin API) made by `as`. */
async function scimCredentials(tenantId: string, as: (path: string, body: Json) => Promise<Response>, body: Json = {}) {
  const made = await as(`/admin/v1/tenants/${tenantId}/clients`, { name: `c-${crypto.randomUUID().slice(0, 6)}`, ...body });
  expect(made.status, await made.clone().text()).toBe(201);
  const client = await json<Json>(made);
  const issued = await as(`/admin/v1/tenants/${tenantId}/clients/${client.client_id}/tokens`, { expires_in: 315360000, ...body });
  expect(issued.status, await issued.clone().text()).toBe(201);
  const token = await json<Json>(issued);
  return { client, token, tenant: { id: tenantId, clientId: client.client_id, clientSecret: client.client_secret, token: token.access_token } as TestTenant };
}
const bySession = (s: PortalSession) => (path: string, body: Json) => withSession(s, path, { method: "POST", body });
const byApiToken = (token: string) => (path: string, body: Json) => withApiToken(token, path, { method: "POST", body });

const scimStatus = async (t: TestTenant) => (await scim(t).get("/Users?count=1")).status;
const tokenEndpointStatus = async (t: TestTenant) =>
  (await call("/oauth/token", {
    method: "POST",
    rawBody: new URLSearchParams({ grant_type: "client_credentials", client_id: t.clientId, client_secret: t.clientSecret }).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  })).status;
const apiTokenStatus = async (tenantId: string, token: string) => (await withApiToken(token, `/admin/v1/tenants/${tenantId}/clients`)).status;

describe("the CSRF token is a second factor", () => {
  it("is given at sign-in (body and a script-readable cookie), never by GET /portal/v1/session, and is not derived from the cookie", async () => {
    const t = await newTenant();
    const link = await newSetupLink(t.id);
    const res = await call("/portal/v1/session", { method: "POST", body: { link: link.secret } });
    expect(res.status).toBe(201);
    const body = await json<Json>(res);
    expect(body.csrf_token).toMatch(/^csrf_/);
    const cookies = res.headers.getSetCookie();
    const csrfCookie = cookies.find((c) => c.startsWith("__Host-scim_csrf="));
    expect(csrfCookie).toBeDefined();
    expect(csrfCookie).not.toMatch(/HttpOnly/i);
    expect(csrfCookie).toMatch(/SameSite=Strict/i);
    expect(csrfCookie!.split(";")[0]!.split("=")[1]).toBe(body.csrf_token);
    const session = cookies.find((c) => c.startsWith("__Host-scim_portal="))!.split(";")[0]!;

    // The cookie alone reads the session, without the CSRF token.
    const got = await call("/portal/v1/session", { headers: { Cookie: session } });
    expect(got.status).toBe(200);
    expect(await json<Json>(got)).not.toHaveProperty("csrf_token");
    // The old derivation from the cookie's value is no longer the token.
    const derived = `csrf_${await sha256Hex(`csrf:${session.split("=")[1]}`)}`;
    const write = await call("/portal/v1/api-tokens", { method: "POST", body: { name: "stolen" }, headers: { Cookie: session, "X-CSRF-Token": derived, "Content-Type": "application/json" } });
    expect(write.status).toBe(403);
    const right = await call("/portal/v1/api-tokens", { method: "POST", body: { name: "mine" }, headers: { Cookie: session, "X-CSRF-Token": body.csrf_token, "Content-Type": "application/json" } });
    expect(right.status).toBe(201);
  });
});

describe("derived credentials end with their creator", () => {
  it("sign-out revokes the session's API tokens (unless kept) and what they made (unless kept); the session's own Entra client and token survive", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    const entra = await scimCredentials(t.id, bySession(s));
    expect(entra.client).toMatchObject({ created_by: expect.stringMatching(/^session:/), ends_with_creator: false });
    expect(entra.token).toMatchObject({ created_by: expect.stringMatching(/^session:/), ends_with_creator: false });
    const a1 = await newApiToken(s, { name: "ends" });
    const a2 = await newApiToken(s, { name: "kept", keep: true });
    expect(a1).toMatchObject({ created_by: expect.stringMatching(/^session:/), ends_with_creator: true });
    expect(a2).toMatchObject({ ends_with_creator: false });
    const fromA1 = await scimCredentials(t.id, byApiToken(a1.token));
    expect(fromA1.client).toMatchObject({ created_by: `api-token:${a1.id}`, ends_with_creator: true });
    const keptFromA1 = await scimCredentials(t.id, byApiToken(a1.token), { keep: true });
    const fromA2 = await scimCredentials(t.id, byApiToken(a2.token));
    const clientMinted = { ...fromA1.tenant, token: await requestToken(fromA1.tenant.clientId, fromA1.tenant.clientSecret) };
    for (const x of [entra.tenant, fromA1.tenant, keptFromA1.tenant, fromA2.tenant, clientMinted]) expect(await scimStatus(x)).toBe(200);

    expect((await withSession(s, "/portal/v1/session", { method: "DELETE" })).status).toBe(204);

    expect(await apiTokenStatus(t.id, a1.token)).toBe(401);
    expect(await apiTokenStatus(t.id, a2.token)).toBe(200);
    expect(await scimStatus(fromA1.tenant)).toBe(401);
    expect(await scimStatus(clientMinted)).toBe(401);
    expect(await tokenEndpointStatus(fromA1.tenant)).toBe(401);
    for (const x of [entra.tenant, keptFromA1.tenant, fromA2.tenant]) {
      expect(await scimStatus(x)).toBe(200);
      expect(await tokenEndpointStatus(x)).toBe(200);
    }
  });

  it("revoking the setup link ends its sessions and, with them, their API tokens", async () => {
    const t = await newTenant();
    const link = await newSetupLink(t.id);
    const s = await signIn(link.secret);
    const a = await newApiToken(s);
    expect(await apiTokenStatus(t.id, a.token)).toBe(200);
    expect((await admin(`/tenants/${t.id}/setup-links/${link.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await apiTokenStatus(t.id, a.token)).toBe(401);
  });

  it("revoking an API token revokes what it created unless kept", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    const a = await newApiToken(s);
    const made = await scimCredentials(t.id, byApiToken(a.token));
    const kept = await scimCredentials(t.id, byApiToken(a.token), { keep: true });
    expect((await withSession(s, `/portal/v1/api-tokens/${a.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await scimStatus(made.tenant)).toBe(401);
    expect(await tokenEndpointStatus(made.tenant)).toBe(401);
    expect(await scimStatus(kept.tenant)).toBe(200);
  });
});

describe("operators see and revoke every tenant credential", () => {
  it("lists, inspects and revokes API tokens and portal sessions; the expiry report lists API tokens; tenant admins cannot call these routes", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    const a = await newApiToken(s, { name: "ops-view", expires_in_days: 3 });
    const made = await scimCredentials(t.id, byApiToken(a.token));

    const listed = await json<Json>(await admin(`/tenants/${t.id}/api-tokens`));
    const row = listed.api_tokens.find((x: Json) => x.id === a.id);
    expect(row).toMatchObject({ name: "ops-view", created_by: expect.stringMatching(/^session:/), ends_with_creator: true, revoked_at: null });
    expect(row).not.toHaveProperty("token");
    const one = await json<Json>(await admin(`/tenants/${t.id}/api-tokens/${a.id}`));
    expect(one.created).toMatchObject({ clients: [expect.objectContaining({ client_id: made.client.client_id })], tokens: [expect.objectContaining({ jti: made.token.jti })] });

    const sessions = await json<Json>(await admin(`/tenants/${t.id}/portal-sessions`));
    const sid = row.created_by.slice("session:".length);
    expect(sessions.portal_sessions).toEqual([expect.objectContaining({ id: sid, link_id: expect.any(String), status: "active" })]);

    const expiring = await json<Json>(await admin(`/tokens/expiring?within_days=7`));
    expect(expiring.api_tokens).toEqual(expect.arrayContaining([expect.objectContaining({ tenant_id: t.id, id: a.id, name: "ops-view", days_left: expect.any(Number) })]));

    // A tenant admin cannot reach the operator's views.
    for (const path of [`/admin/v1/tenants/${t.id}/api-tokens`, `/admin/v1/tenants/${t.id}/portal-sessions`]) {
      expect((await withApiToken(a.token, path)).status).toBe(403);
    }

    expect((await admin(`/tenants/${t.id}/api-tokens/${a.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await apiTokenStatus(t.id, a.token)).toBe(401);
    expect(await scimStatus(made.tenant)).toBe(401);
    expect((await admin(`/tenants/${t.id}/api-tokens/${a.id}`, { method: "DELETE" })).status).toBe(404);

    const b = await newApiToken(s);
    expect((await admin(`/tenants/${t.id}/portal-sessions/${sid}`, { method: "DELETE" })).status).toBe(204);
    expect((await withSession(s, "/portal/v1/session")).status).toBe(401);
    expect(await apiTokenStatus(t.id, b.token)).toBe(401);
    const after = await json<Json>(await admin(`/tenants/${t.id}/portal-sessions`));
    expect(after.portal_sessions[0]).toMatchObject({ id: sid, status: "revoked" });
  });
});
