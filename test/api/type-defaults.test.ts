// Untyped emails and phone numbers are stored as "work" on every write path (POST, PUT, PATCH,
// Bulk), counted as a compatibility rewrite; Entra's later emails[type eq "work"] replace then
// updates that email instead of adding a second one.
import { describe, expect, it } from "vitest";
import { isMobilePhoneType } from "../../src/scim/compat/defaults";
import { admin, json } from "../support/http";
import { patchOp, scim, unique, userPayload, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const counters = async (tenantId: string) =>
  new Map((await json<{ rewrites: { rewrite: string; count: number }[] }>(await admin(`/tenants/${tenantId}/compat`))).rewrites.map((r) => [r.rewrite, r.count]));

describe("type defaults", () => {
  it("POST: an untyped email and phone come back and are stored as work; the default is counted", async () => {
    const t = await newTenant();
    const email = `${unique("ada")}@example.com`;
    const user = await scim(t).createUser({
      emails: [{ value: email }],
      phoneNumbers: [{ value: "tel:+44-20-7946-0000" }, { value: "tel:+44-7700-900000", type: "mobile" }],
    });
    expect(user.emails).toEqual([{ value: email, type: "work" }]);
    expect(user.phoneNumbers).toEqual([
      { value: "tel:+44-20-7946-0000", type: "work" },
      { value: "tel:+44-7700-900000", type: "mobile" },
    ]);
    const stored = await json<Json>(await scim(t).get(`/Users/${user.id}`));
    expect(stored.emails).toEqual([{ value: email, type: "work" }]);
    const found = await json<Json>(await scim(t).get(`/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${email}"`)}`));
    expect(found.totalResults).toBe(1);
    const seen = await counters(t.id);
    expect(seen.get("emailTypeDefaultedToWork")).toBe(1);
    expect(seen.get("phoneTypeDefaultedToWork")).toBe(1);
  });

  it("Entra's later emails[type eq \"work\"].value replace updates the untyped email instead of adding one", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser({ emails: [{ value: `${unique("old")}@example.com` }] });
    const next = `${unique("new")}@example.com`;
    const res = await scim(t).patch(`/Users/${user.id}`, patchOp({ op: "replace", path: 'emails[type eq "work"].value', value: next }));
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await json<Json>(res)).emails).toEqual([{ value: next, type: "work" }]);
  });

  it("PUT and PATCH add type untyped values too", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    const put = await scim(t).put(`/Users/${user.id}`, userPayload({ userName: user.userName, emails: [{ value: "put@example.com" }] }));
    expect((await json<Json>(put)).emails).toEqual([{ value: "put@example.com", type: "work" }]);
    const patched = await scim(t).patch(`/Users/${user.id}`, patchOp({ op: "add", path: "phoneNumbers", value: [{ value: "tel:+1-555-0100" }] }));
    expect((await json<Json>(patched)).phoneNumbers).toEqual([{ value: "tel:+1-555-0100", type: "work" }]);
    const pathless = await scim(t).patch(`/Users/${user.id}`, patchOp({ op: "replace", value: { emails: [{ value: "p@example.com", primary: true }] } }));
    expect((await json<Json>(pathless)).emails).toEqual([{ value: "p@example.com", primary: true, type: "work" }]);
  });

  it("Bulk POST types untyped values", async () => {
    const t = await newTenant();
    const res = await scim(t).post("/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [{ method: "POST", path: "/Users", bulkId: "a", data: userPayload({ emails: [{ value: "bulk@example.com" }] }) }],
    });
    const result = (await json<Json>(res)).Operations[0];
    expect(result.status).toBe("201");
    const id = String(result.location).split("/").at(-1);
    expect((await json<Json>(await scim(t).get(`/Users/${id}`))).emails).toEqual([{ value: "bulk@example.com", type: "work" }]);
  });

  it("a value that has a type keeps it", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser({ emails: [{ value: "h@example.com", type: "home" }] });
    expect(user.emails).toEqual([{ value: "h@example.com", type: "home" }]);
    expect((await counters(t.id)).has("emailTypeDefaultedToWork")).toBe(false);
  });

  it("mobile, cellular and cell all count as mobile phones", () => {
    for (const type of ["mobile", "Mobile", "cellular", "cell", " CELL "]) expect(isMobilePhoneType(type), type).toBe(true);
    for (const type of ["work", "home", "fax", "", undefined, 3]) expect(isMobilePhoneType(type), String(type)).toBe(false);
  });
});
