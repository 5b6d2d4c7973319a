// Every admin route, enumerated from the app itself, is either on the tenant allowlist or
// explicitly operator-only; a tenant credential reaches only its own tenant through the allowed
// ones (another tenant's id is a 404, as if absent) and gets 403 "operator only" from the rest.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { OPERATOR_ONLY_ROUTES, TENANT_ROUTES, tenantRouteMatches } from "../../src/access/http/tenant-scope";
import { ADMIN_TOKEN, admin, call, json } from "../support/http";
import { newApiToken, portalSessionFor, withApiToken, withSession, type PortalSession } from "../support/portal";
import { provisionedTenant } from "../support/run-cron";
import { newTenant } from "../support/tenant";

type Json = Record<string, unknown>;
const routes = createApp().routes.filter((r) => r.method !== "ALL");
const adminRoutes = [...new Set(routes.filter((r) => r.path.startsWith("/admin/v1/")).map((r) => `${r.method} ${r.path}`))];
const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A concrete path for a route: `:id` is the tenant, other parameters a placeholder. */
const pathOf = (route: string, tenantId: string) =>
  route.split(" ")[1]!.replace(/:id\b/, tenantId).replace(/:[A-Za-z]+/g, "x0");

const asCall = (route: string, tenantId: string) => {
  const method = route.split(" ")[0]!;
  return { path: pathOf(route, tenantId), method, ...(WRITE.has(method) && method !== "DELETE" ? { rawBody: JSON.stringify({ name: "probe" }) } : {}) };
};

/** What the operator sees of a tenant: everything a tenant write could have changed. */
async function snapshot(tenantId: string) {
  const paths = ["", "/clients", "/tokens", "/device-hub", "/rate-limit", "/entra-tokens", "/extensions", "/provisioning", "/setup-links"];
  return Promise.all(
    paths.map(async (p) => {
      const res = await admin(`/tenants/${tenantId}${p}`);
      const body = (await json<Json>(res)) as Json;
      // The provisioning status carries clocks that move on their own.
      return p === "/provisioning" ? { status: res.status, state: body.state } : { status: res.status, body };
    }),
  );
}

interface Credential {
  name: string;
  send: (path: string, opts: { method: string; rawBody?: string }) => Promise<Response>;
}

async function credentialsFor(tenantId: string): Promise<Credential[]> {
  const s: PortalSession = await portalSessionFor(tenantId);
  const apiToken = (await newApiToken(s)).token;
  return [
    { name: "portal session", send: (path, opts) => withSession(s, path, opts) },
    { name: "tenant API token", send: (path, opts) => withApiToken(apiToken, path, opts) },
  ];
}

describe("tenant allowlist", () => {
  it("every admin route is on the tenant allowlist or explicitly operator-only, never both", () => {
    expect(adminRoutes.length).toBeGreaterThanOrEqual(40);
    const classified = [...TENANT_ROUTES, ...OPERATOR_ONLY_ROUTES];
    expect(new Set(classified).size).toBe(classified.length);
    expect([...adminRoutes].sort()).toEqual([...classified].sort());
  });

  it("the allowlist's patterns match exactly the allowlisted routes' paths", () => {
    for (const route of adminRoutes) {
      const [method] = route.split(" ") as [string];
      const allowed = (TENANT_ROUTES as readonly string[]).includes(route);
      expect(tenantRouteMatches(method, pathOf(route, crypto.randomUUID())), route).toBe(allowed);
      expect(tenantRouteMatches(method, `${pathOf(route, crypto.randomUUID())}/`), `${route} with a trailing slash`).toBe(allowed);
    }
  });
});

describe("a tenant credential on the admin API", () => {
  it("cannot read or write another tenant through any allowed route: 404, and nothing changes", async () => {
    const a = await newTenant();
    const { t: b } = await provisionedTenant();
    const before = await snapshot(b.id);
    for (const cred of await credentialsFor(a.id)) {
      for (const route of TENANT_ROUTES) {
        const { path, ...opts } = asCall(route, b.id);
        const res = await cred.send(path, opts);
        expect(res.status, `${cred.name}: ${route}`).toBe(404);
        expect(await json(res)).toEqual({ error: { status: 404, message: `tenant ${b.id} not found` } });
      }
    }
    expect(await snapshot(b.id)).toEqual(before);
  });

  it("cannot reach another tenant by spelling its id differently in the path", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const encoded = [...b.id].map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join("");
    const spellings = [encoded, b.id.toUpperCase(), `${b.id}/`, `${b.id}%2F`, `${a.id}%2F..%2F${b.id}`, `${a.id}/../${b.id}`];
    for (const cred of await credentialsFor(a.id)) {
      for (const id of spellings) {
        const res = await cred.send(`/admin/v1/tenants/${id}/clients`, { method: "GET" });
        expect([401, 403, 404], `${cred.name}: ${id}`).toContain(res.status);
        expect(await res.text()).not.toContain(b.clientId);
      }
      // The own id spelled with escapes is still the own tenant.
      const own = [...a.id].map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join("");
      expect((await cred.send(`/admin/v1/tenants/${own}/clients`, { method: "GET" })).status).toBe(200);
    }
  });

  it("gets 403 operator only from every other admin route, for its own tenant or another, and nothing changes", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const credentials = await credentialsFor(a.id);
    const [beforeA, beforeB] = [await snapshot(a.id), await snapshot(b.id)];
    const tenantsBefore = await json(await admin("/tenants"));
    for (const cred of credentials) {
      for (const route of OPERATOR_ONLY_ROUTES) {
        for (const id of [a.id, b.id]) {
          const { path, ...opts } = asCall(route, id);
          const res = await cred.send(path, opts);
          expect(res.status, `${cred.name}: ${route}`).toBe(403);
          expect(await json(res)).toEqual({ error: { status: 403, message: "operator only" } });
        }
      }
    }
    expect(await snapshot(a.id)).toEqual(beforeA);
    expect(await snapshot(b.id)).toEqual(beforeB);
    expect(await json(await admin("/tenants"))).toEqual(tenantsBefore);
  });

  it("reads its own tenant through every allowed GET, as the operator sees it, with no Device Hub key", async () => {
    const { t, hub } = await provisionedTenant();
    for (const cred of await credentialsFor(t.id)) {
      for (const route of TENANT_ROUTES.filter((r) => r.startsWith("GET "))) {
        const path = pathOf(route, t.id).replace("/clients/x0/", `/clients/${t.clientId}/`);
        const [mine, operator] = [await cred.send(path, { method: "GET" }), await call(path, { token: ADMIN_TOKEN })];
        expect(mine.status, `${cred.name}: ${route}`).toBe(200);
        const text = await mine.text();
        expect(text).not.toContain(hub.apiKey);
        if (!route.endsWith("/audit") && !route.endsWith("/provisioning")) expect(JSON.parse(text), route).toEqual(await operator.json());
      }
    }
  });

  it("writes its own tenant: creates, rotates and revokes a client, issues a 10-year token, stops and starts provisioning", async () => {
    const { t } = await provisionedTenant();
    for (const cred of await credentialsFor(t.id)) {
      const created = await cred.send(`/admin/v1/tenants/${t.id}/clients`, { method: "POST", rawBody: JSON.stringify({ name: cred.name }) });
      expect(created.status).toBe(201);
      const client = await json<{ client_id: string; client_secret: string }>(created);
      const token = await cred.send(`/admin/v1/tenants/${t.id}/clients/${client.client_id}/tokens`, { method: "POST", rawBody: JSON.stringify({ expires_in: 315360000 }) });
      expect(token.status).toBe(201);
      const { access_token, jti } = await json<{ access_token: string; jti: string }>(token);
      expect((await call("/scim/v2/Users", { token: access_token })).status).toBe(200);
      expect((await cred.send(`/admin/v1/tenants/${t.id}/clients/${client.client_id}/rotate`, { method: "POST" })).status).toBe(200);
      expect((await cred.send(`/admin/v1/tenants/${t.id}/tokens/${jti}`, { method: "DELETE" })).status).toBe(204);
      expect((await call("/scim/v2/Users", { token: access_token })).status).toBe(401);
      expect((await cred.send(`/admin/v1/tenants/${t.id}/clients/${client.client_id}`, { method: "DELETE" })).status).toBe(204);
      expect(await json(await cred.send(`/admin/v1/tenants/${t.id}/provisioning/stop`, { method: "POST" }))).toMatchObject({ state: "stopped" });
      expect(await json(await cred.send(`/admin/v1/tenants/${t.id}/provisioning/start`, { method: "POST" }))).toMatchObject({ state: expect.not.stringMatching(/^stopped$/) });
    }
  });

  it("is not a SCIM credential", async () => {
    const t = await newTenant();
    const s = await portalSessionFor(t.id);
    const { token } = await newApiToken(s);
    expect((await call("/scim/v2/Users", { token })).status).toBe(401);
    expect((await call("/scim/v2/Users", { headers: { Cookie: s.cookie, "X-CSRF-Token": s.csrf } })).status).toBe(401);
    const write = await call("/scim/v2/Users", { method: "POST", body: { userName: "x@example.com" }, headers: { Cookie: s.cookie, "X-CSRF-Token": s.csrf } });
    expect(write.status).toBe(401);
  });
});

describe("portal routes", () => {
  const portalRoutes = [...new Set(routes.filter((r) => r.path.startsWith("/portal/v1/")).map((r) => `${r.method} ${r.path}`))];

  it("every portal route but sign-in (and its link preview: the link is their credential) refuses a request without a credential", async () => {
    expect(portalRoutes.length).toBeGreaterThanOrEqual(6);
    for (const route of portalRoutes.filter((r) => r !== "POST /portal/v1/session" && r !== "POST /portal/v1/setup-link")) {
      const [method, template] = route.split(" ") as [string, string];
      const res = await call(template.replace(/:[A-Za-z]+/g, "x0"), { method, headers: { "Content-Type": "application/json" }, ...(method === "POST" ? { rawBody: "{}" } : {}) });
      expect(res.status, route).toBe(401);
      expect(await json(res)).toEqual({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
        status: "401",
        detail: "not signed in: open a setup link to sign in",
      });
    }
  });

  it("the operator's ADMIN_TOKEN is not a portal credential", async () => {
    expect((await call("/portal/v1/connection", { token: ADMIN_TOKEN })).status).toBe(401);
    expect((await call("/portal/v1/api-tokens", { token: ADMIN_TOKEN })).status).toBe(401);
  });
});
