// The per-tenant option `enforceNamingRules` (Device Hub settings): SCIM writes that bring in a
// name or email the hub would refuse answer 400 invalidValue naming the attribute, so Entra shows
// the error on the user. Through the real handlers; the option is set with the admin API.
import { describe, expect, it } from "vitest";
import { json } from "../support/http";
import { expectScimError, patchOp, scim, userPayload, type Json } from "../support/scim";
import { newTenant, type TestTenant } from "../support/tenant";
import { hubAdmin, hubWorkspace, HUB_BASE } from "../support/run-cron";

async function tenantWithOption(enforceNamingRules: boolean): Promise<TestTenant> {
  const t = await newTenant();
  const res = await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PUT", body: { baseUrl: HUB_BASE, apiKey: hubWorkspace().apiKey, enforceNamingRules } });
  expect(res.status, await res.clone().text()).toBe(201);
  return t;
}

const count = async (t: TestTenant) => (await json<Json>(await scim(t).get("/Users"))).totalResults as number;

describe("enforceNamingRules: refuse names the Device Hub would refuse, at SCIM time", () => {
  it("answers 400 invalidValue on POST, naming the attribute and the characters, and stores nothing", async () => {
    const t = await tenantWithOption(true);
    const s = scim(t);
    await expectScimError(await s.post("/Users", userPayload({ name: { givenName: "Ann_Marie", familyName: "Smith" } })), 400, "invalidValue", /name\.givenName "Ann_Marie" contains "_"/);
    await expectScimError(await s.post("/Users", userPayload({ name: { givenName: "Ann", familyName: "O'Brien" } })), 400, "invalidValue", /name\.familyName "O'Brien" contains "'"/);
    const email = "ann(work)@example.com";
    await expectScimError(await s.post("/Users", userPayload({ emails: [{ value: email, type: "work" }] })), 400, "invalidValue", /emails\.value "ann\(work\)@example\.com" contains "\(", "\)"/);
    expect(await count(t)).toBe(0);
    expect((await s.post("/Users", userPayload({ name: { givenName: "Zoë", familyName: "Ångström-Nuñez, Jr." } }))).status).toBe(201);
  });

  it("answers 400 invalidValue on PUT and PATCH that bring in a bad name, leaving the user unchanged", async () => {
    const t = await tenantWithOption(true);
    const s = scim(t);
    const u = await s.createUser();
    const { id, meta: _meta, ...body } = u;
    await expectScimError(await s.put(`/Users/${id}`, { ...body, name: { givenName: "Ada", familyName: "Love_lace" } }), 400, "invalidValue", /name\.familyName/);
    await expectScimError(await s.patch(`/Users/${id}`, patchOp({ op: "replace", path: "name.givenName", value: "Ada_" })), 400, "invalidValue", /name\.givenName "Ada_"/);
    await expectScimError(await s.patch(`/Users/${id}`, patchOp({ op: "replace", path: 'emails[type eq "work"].value', value: "a?b@example.com" })), 400, "invalidValue", /emails\.value/);
    const now = await json<Json>(await s.get(`/Users/${id}`));
    expect(now).toMatchObject({ name: u.name, emails: u.emails, meta: { version: u.meta.version } });
  });

  it("refuses a bad name inside a Bulk request per operation", async () => {
    const t = await tenantWithOption(true);
    const res = await scim(t).post("/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "bad", data: userPayload({ name: { givenName: "A_B", familyName: "C" } }) },
        { method: "POST", path: "/Users", bulkId: "good", data: userPayload() },
      ],
    });
    const body = await json<Json>(res);
    expect(body.Operations.map((o: Json) => [o.bulkId, o.status, o.response?.scimType])).toEqual([["bad", "400", "invalidValue"], ["good", "201", undefined]]);
  });

  it("still lets a user stored before the option was turned on be changed in other attributes", async () => {
    const t = await tenantWithOption(false);
    const s = scim(t);
    const u = await s.createUser({ name: { givenName: "Legacy_Name", familyName: "Kept" } });
    expect((await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PATCH", body: { enforceNamingRules: true } })).status).toBe(200);
    const res = await s.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "active", value: false }));
    expect(res.status, await res.clone().text()).toBe(200);
    await expectScimError(await s.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "name.familyName", value: "New_Name" })), 400, "invalidValue", /name\.familyName "New_Name"/);
  });

  it("accepts such names when the option is off (the default), and for tenants without a hub", async () => {
    const off = await tenantWithOption(false);
    expect((await scim(off).post("/Users", userPayload({ name: { givenName: "Ann_Marie", familyName: "X" } }))).status).toBe(201);
    const noHub = await newTenant();
    expect((await scim(noHub).post("/Users", userPayload({ emails: [{ value: "a#b@example.com", type: "work" }] }))).status).toBe(201);
  });
});
