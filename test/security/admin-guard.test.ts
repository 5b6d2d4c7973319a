// Every admin route, enumerated from the app itself, refuses a missing or wrong admin token: the
// guard is mounted once for /admin/v1/*, so a new route module cannot forget it.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { ADMIN_TOKEN, call, json } from "../support/http";
import { newTenant } from "../support/tenant";

const adminRoutes = createApp()
  .routes.filter((r) => r.path.startsWith("/admin/v1/") && r.method !== "ALL")
  .map((r) => ({ method: r.method, path: r.path }));

describe("admin guard", () => {
  it("the app has the admin routes this test walks", () => {
    // A floor, not the exact number: the test must see the routes, whatever modules add them.
    expect(adminRoutes.length).toBeGreaterThanOrEqual(20);
    expect(adminRoutes).toContainEqual({ method: "PUT", path: "/admin/v1/tenants/:id/entra-tokens" });
  });

  it.each([
    ["no Authorization header", undefined],
    ["a wrong admin token", `Bearer ${ADMIN_TOKEN}x`],
    ["the admin token under Basic", `Basic ${ADMIN_TOKEN}`],
  ])("every admin route answers 401 with %s", async (_name, authorization) => {
    // A real tenant id, so a route that skipped the guard would do real work and not 404.
    const t = await newTenant();
    for (const route of adminRoutes) {
      const path = route.path.replace(/:id\b/, t.id).replace(/:[A-Za-z]+/g, "x");
      const res = await call(path, {
        method: route.method,
        headers: { "Content-Type": "application/json", ...(authorization ? { Authorization: authorization } : {}) },
        ...(["POST", "PUT", "PATCH"].includes(route.method) ? { rawBody: "{}" } : {}),
      });
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toBe(`Bearer realm="admin"`);
      expect(await json(res)).toEqual({ error: { status: 401, message: "missing or invalid admin token" } });
    }
  });

  it("a SCIM access token is not an admin token on any admin route", async () => {
    const t = await newTenant();
    for (const route of adminRoutes) {
      const res = await call(route.path.replace(/:id\b/, t.id).replace(/:[A-Za-z]+/g, "x"), { method: route.method, token: t.token });
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });
});
