// One renderer per error class (src/http/errors.ts): SCIM errors are RFC 7644 §3.12 bodies, on
// single requests and in each failed Bulk operation alike; OAuth errors are RFC 6749 §5.2 bodies
// with their headers; the admin surface answers {error: {status, message}}.
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, json } from "../support/http";
import { scim, userPayload, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

describe("error bodies", () => {
  it.each<[string, (existing: string) => Json]>([
    ["invalidValue", () => userPayload({ active: "maybe" })],
    ["required attribute missing", () => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"] })],
    ["uniqueness", (existing) => userPayload({ userName: existing })],
  ])("a failed Bulk operation carries exactly the body the single request gets (%s)", async (_name, data) => {
    const t = await newTenant();
    const existing = (await scim(t).createUser()).userName as string;
    const single = await scim(t).post("/Users", data(existing));
    expect(single.status).toBeGreaterThanOrEqual(400);
    const body = await json<Json>(single);
    const bulk = await json<Json>(await scim(t).post("/Bulk", { schemas: [BULK], Operations: [{ method: "POST", path: "/Users", bulkId: "b", data: data(existing) }] }));
    expect(bulk.Operations[0]).toEqual({ method: "POST", bulkId: "b", status: body.status, response: body });
  });

  it("each surface answers in its own shape, whatever the error", async () => {
    const t = await newTenant();
    const scimMissing = await scim(t).get("/Nope");
    expect(scimMissing.headers.get("Content-Type")).toBe("application/scim+json");
    expect(await json(scimMissing)).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404", detail: expect.any(String) });

    const adminMissing = await call("/admin/v1/nope", { token: ADMIN_TOKEN });
    expect(adminMissing.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await json(adminMissing)).toEqual({ error: { status: 404, message: expect.any(String) } });

    const oauth = await call("/oauth/token", { method: "POST", rawBody: "grant_type=password", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(oauth.status).toBe(400);
    expect(oauth.headers.get("Cache-Control")).toBe("no-store");
    expect(await json(oauth)).toEqual({ error: "unsupported_grant_type", error_description: expect.any(String) });
  });
});
