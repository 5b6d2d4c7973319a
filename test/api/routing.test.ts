// How Entra's Tenant URL habits reach us: extra query flags, doubled slashes,
// lower-case endpoint names, and the content types of every answer (errors included).
import { describe, expect, it } from "vitest";
import { call, json } from "../support/http";
import { expectScimError, scim, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

describe("routing as Entra calls it", () => {
  it("ignores unknown query parameters like aadOptscim062020 on every route", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    for (const path of [
      `/Users?aadOptscim062020&filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`,
      `/Users/${user.id}?AzureAdScimPatch2017=1`,
      "/ServiceProviderConfig?aadOptscim062020",
      "/Schemas?aadOptscim062020",
    ]) {
      expect((await scim(t).get(path)).status, path).toBe(200);
    }
  });

  it("a doubled slash and lower-case endpoint names still route", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    for (const path of [`/scim//Users/${user.id}`, `/scim/v2//Users/${user.id}`, `/scim/v2/users/${user.id}`, `/scim/v2/USERS/${user.id}`]) {
      const res = await call(path.replace("/scim//", "/scim/v2//"), { token: t.token });
      expect(res.status, path).toBe(200);
      expect((await json<Json>(res)).id).toBe(user.id);
    }
    expect((await call("/scim/v2/groups", { token: t.token })).status).toBe(200);
    expect((await call("/scim/v2/serviceproviderconfig", { token: t.token })).status).toBe(200);
  });

  it("unknown routes and errors answer with a SCIM error body in application/scim+json", async () => {
    const t = await newTenant();
    await expectScimError(await call("/scim/v2/Nope", { token: t.token }), 404);
    await expectScimError(await call("/scim/v2/Users", { token: t.token, method: "DELETE" }), 404);
  });

  it("sends security headers and no CORS headers", async () => {
    const t = await newTenant();
    const res = await scim(t).get("/ServiceProviderConfig", { Origin: "https://evil.example" });
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age/);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
  });
});
