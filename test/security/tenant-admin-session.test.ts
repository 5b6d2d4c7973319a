// Portal sessions through the real fetch handler: sign-in consumes a setup link once, the cookie's
// flags, CSRF on every write, sign-out, and link revocation ending its sessions.
import { describe, expect, it } from "vitest";
import { admin, call, json } from "../support/http";
import { newSetupLink, portalSessionFor, signIn, signInCall, withSession } from "../support/portal";
import { newTenant } from "../support/tenant";

describe("portal session", () => {
  it("a setup link signs in once: 201 with a session cookie and CSRF token; a replay is 401", async () => {
    const t = await newTenant();
    const link = await newSetupLink(t.id);
    const res = await signInCall(link.secret);
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toEqual({ tenant_id: t.id, tenant_name: expect.any(String), csrf_token: expect.stringMatching(/^csrf_/), expires_at: expect.any(String) });
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const replay = await signInCall(link.secret);
    expect(replay.status).toBe(401);
    expect(replay.headers.get("Set-Cookie")).toBeNull();
  });

  it("the cookie is __Host-, HttpOnly, Secure, SameSite=Strict, Path=/ and lives 12 hours", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    const parts = s.setCookie.split(";").map((p) => p.trim());
    expect(parts[0]).toMatch(/^__Host-scim_portal=scimps_[0-9a-f-]{36}\.[\w-]{43}$/);
    expect(parts.slice(1).sort()).toEqual(["HttpOnly", "Max-Age=43200", "Path=/", "SameSite=Strict", "Secure"]);
    expect(parts.some((p) => /^Domain=/i.test(p))).toBe(false);
    const lifetime = Date.parse(s.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(11 * 3600_000);
    expect(lifetime).toBeLessThanOrEqual(12 * 3600_000);
  });

  it("GET /portal/v1/session continues the session (without the CSRF token: the cookie alone must not get it); sign-out ends it", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    const again = await withSession(s, "/portal/v1/session");
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual({ tenant_id: t.id, tenant_name: s.tenantName, expires_at: s.expiresAt });
    expect((await withSession(s, `/admin/v1/tenants/${t.id}/clients`)).status).toBe(200);

    expect((await withSession(s, "/portal/v1/session", { method: "DELETE", csrf: null })).status).toBe(403);
    const out = await withSession(s, "/portal/v1/session", { method: "DELETE" });
    expect(out.status).toBe(204);
    expect(out.headers.get("Set-Cookie")).toMatch(/^__Host-scim_portal=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    expect((await withSession(s, "/portal/v1/session")).status).toBe(401);
    expect((await withSession(s, `/admin/v1/tenants/${t.id}/clients`)).status).toBe(401);
    expect((await withSession(s, "/portal/v1/connection")).status).toBe(401);
  });

  it("the connection values are the tenant's own, in Entra's and in Eptura's terms", async () => {
    const t = await newTenant();
    const urn = "urn:ietf:params:scim:schemas:extension:Acme:2.0:User";
    const declared = await admin(`/tenants/${t.id}/extensions/${encodeURIComponent(urn)}`, {
      method: "PUT",
      body: { attributes: [{ name: "costCode", type: "string" }, { name: "level", type: "integer" }] },
    });
    expect(declared.status).toBe(201);
    const s = await portalSessionFor(t.id);
    const res = await withSession(s, "/portal/v1/connection");
    expect(await json(res)).toEqual({
      tenant_id: t.id,
      tenant_name: s.tenantName,
      tenant_url: "https://scim.test/scim/v2",
      token_endpoint: "https://scim.test/oauth/token",
      // Eptura's guide: the token provider and the Tenant URL written with its trailing slash.
      token_provider_url: "https://scim.test/api/V1/token",
      eptura_tenant_url: "https://scim.test/scim/api/V1/",
      // What an Entra mapping into an extension may target: built in for every tenant, or declared
      // by the operator for this one (values of any other extension are dropped).
      extensions: [
        {
          urn: "urn:ietf:params:scim:schemas:extension:customextensionname:2.0:User",
          builtIn: true,
          attributes: ["group", "floor", "businessCategory", "image", "phoneExtension", "workMode", "officeLocation", "custom"],
        },
        { urn, builtIn: false, attributes: ["costCode", "level"] },
      ],
    });
  });

  it("revoking a link ends the sessions it opened, and not others", async () => {
    const t = await newTenant();
    const link = await newSetupLink(t.id);
    const s = await signIn(link.secret);
    const other = await portalSessionFor(t.id);
    expect((await admin(`/tenants/${t.id}/setup-links/${link.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await withSession(s, "/portal/v1/session")).status).toBe(401);
    expect((await withSession(s, `/admin/v1/tenants/${t.id}/clients`)).status).toBe(401);
    expect((await withSession(other, "/portal/v1/session")).status).toBe(200);
  });

  it("a cookie that is not a session's is 401 everywhere", async () => {
    const t = await newTenant();
    for (const cookie of ["__Host-scim_portal=", "__Host-scim_portal=garbage", "__Host-scim_portal=scimps_AAAA", "scim_portal=x"]) {
      expect((await call("/portal/v1/session", { headers: { Cookie: cookie } })).status).toBe(401);
      expect((await call(`/admin/v1/tenants/${t.id}/clients`, { headers: { Cookie: cookie } })).status).toBe(401);
    }
  });
});
