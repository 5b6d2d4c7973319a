// Per-tenant extension schemas declared through the admin API: validated, stored, returned,
// filterable, sortable, patchable by path, listed in that tenant's /Schemas and /ResourceTypes;
// undeclared extensions dropped and counted.
import { describe, expect, it } from "vitest";
import { admin, json } from "../support/http";
import { expectScimError, patchOp, scim, userPayload, groupPayload, type Json } from "../support/scim";
import { newTenant, type TestTenant } from "../support/tenant";

const EXT = "urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User";
const declaration = {
  description: "Acme HR attributes",
  attributes: [
    { name: "costCode", type: "string" },
    { name: "level", type: "integer" },
    { name: "badge", type: "string", caseExact: true },
    { name: "skills", type: "string", multiValued: true },
    { name: "pin", type: "string", returned: "never" },
    { name: "notes", type: "string", returned: "request" },
  ],
};

const declare = (t: TestTenant, urn = EXT, body: unknown = declaration) =>
  admin(`/tenants/${t.id}/extensions/${encodeURIComponent(urn)}`, { method: "PUT", body });

async function tenantWithExtension(): Promise<TestTenant> {
  const t = await newTenant();
  const res = await declare(t);
  expect(res.status, await res.clone().text()).toBe(201);
  return t;
}

const filterUsers = async (t: TestTenant, filter: string, extra = "") =>
  json<Json>(await scim(t).get(`/Users?filter=${encodeURIComponent(filter)}${extra}`));

describe("declaring an extension (admin API)", () => {
  it("PUT declares (201), redeclares (200); GET lists it after the built-in ones", async () => {
    const t = await newTenant();
    const created = await json<Json>(await declare(t));
    expect(created).toMatchObject({ urn: EXT, resourceType: "User", name: "CustomExtension", builtIn: false });
    expect(created.attributes[1]).toMatchObject({ name: "level", type: "integer", multiValued: false, caseExact: false, returned: "default", uniqueness: "none" });
    const again = await declare(t, EXT, { ...declaration, name: "Acme" });
    expect(again.status).toBe(200);
    const list = await json<{ extensions: Json[] }>(await admin(`/tenants/${t.id}/extensions`));
    expect(list.extensions.map((e) => [e.urn, e.builtIn])).toEqual([
      ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", true],
      ["urn:ietf:params:scim:schemas:extension:customextensionname:2.0:User", true],
      [EXT, false],
    ]);
    expect((await json<Json>(await admin(`/tenants/${t.id}/extensions/${EXT}`))).name).toBe("Acme");
  });

  it.each([
    ["a URN with a quote", `urn:acme:x'y:User`, declaration, /not an extension URN/],
    ["RFC 7643's core namespace", "urn:ietf:params:scim:schemas:core:2.0:Extra", declaration, /reserved/],
    ["a built-in extension", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", declaration, /built in/],
    ["a bad attribute name", EXT, { attributes: [{ name: "cost.code", type: "string" }] }, /attributes\.0\.name/],
    ["a duplicate attribute", EXT, { attributes: [{ name: "a", type: "string" }, { name: "A", type: "integer" }] }, /declared twice/],
    ["a complex type", EXT, { attributes: [{ name: "a", type: "complex" }] }, /attributes\.0\.type/],
    ["an unknown field", EXT, { attributes: [{ name: "a", type: "string", mutability: "readOnly" }] }, /attributes\.0/],
    ["no attributes", EXT, { attributes: [] }, /attributes/],
  ])("refuses %s with 400", async (_what, urn, body, message) => {
    const t = await newTenant();
    const res = await declare(t, urn, body);
    expect(res.status).toBe(400);
    expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(message);
  });

  it("an unknown tenant is 404; the built-in extensions cannot be removed", async () => {
    const t = await newTenant();
    expect((await admin(`/tenants/nope/extensions/${EXT}`, { method: "PUT", body: declaration })).status).toBe(404);
    expect((await admin(`/tenants/${t.id}/extensions/urn:ietf:params:scim:schemas:extension:customextensionname:2.0:User`, { method: "DELETE" })).status).toBe(400);
    expect((await admin(`/tenants/${t.id}/extensions/${EXT}`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("a declared extension on the SCIM API", () => {
  it("is validated, stored and returned; returned never/request are honoured", async () => {
    const t = await tenantWithExtension();
    const user = await scim(t).createUser({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", EXT],
      [EXT]: { costCode: "CC-7", level: 3, skills: ["go", "ts"], pin: "1234", notes: "hidden", unknown: "dropped" },
    });
    expect(user.schemas).toContain(EXT);
    expect(user[EXT]).toEqual({ costCode: "CC-7", level: 3, skills: ["go", "ts"] });
    const asked = await json<Json>(await scim(t).get(`/Users/${user.id}?attributes=${EXT}:notes`));
    expect(asked[EXT]).toEqual({ notes: "hidden" });
    await expectScimError(await scim(t).post("/Users", userPayload({ [EXT]: { level: "three" } })), 400, "invalidValue", /level must be an integer/);
  });

  it("accepts URN-qualified keys in the colon and the dot form", async () => {
    const t = await tenantWithExtension();
    const user = await scim(t).createUser({ [`${EXT}:costCode`]: "A1", [`${EXT}.level`]: 5 });
    expect(user[EXT]).toEqual({ costCode: "A1", level: 5 });
  });

  it("is filterable (qualified, unqualified, multi-valued, caseExact) and sortable", async () => {
    const t = await tenantWithExtension();
    const a = await scim(t).createUser({ [EXT]: { costCode: "cc-1", level: 2, badge: "Blue", skills: ["go"] } });
    const b = await scim(t).createUser({ [EXT]: { costCode: "CC-2", level: 9, badge: "red", skills: ["ts", "sql"] } });
    expect((await filterUsers(t, `${EXT}:costCode eq "CC-1"`)).Resources.map((r: Json) => r.id)).toEqual([a.id]);
    expect((await filterUsers(t, `${EXT}.level gt 5`)).Resources.map((r: Json) => r.id)).toEqual([b.id]);
    expect((await filterUsers(t, `level lt 5`)).Resources.map((r: Json) => r.id)).toEqual([a.id]);
    expect((await filterUsers(t, `${EXT}:skills eq "sql"`)).Resources.map((r: Json) => r.id)).toEqual([b.id]);
    expect((await filterUsers(t, `${EXT}:badge eq "blue"`)).totalResults).toBe(0);
    expect((await filterUsers(t, `${EXT}:badge eq "Blue"`)).totalResults).toBe(1);
    const desc = await json<Json>(await scim(t).get(`/Users?sortBy=${encodeURIComponent(`${EXT}:level`)}&sortOrder=descending`));
    expect(desc.Resources.map((r: Json) => r.id)).toEqual([b.id, a.id]);
    const asc = await json<Json>(await scim(t).get(`/Users?sortBy=${encodeURIComponent(`${EXT}:level`)}`));
    expect(asc.Resources.map((r: Json) => r.id)).toEqual([a.id, b.id]);
    await expectScimError(await scim(t).get(`/Users?sortBy=${encodeURIComponent(`${EXT}:skills`)}`), 400, "invalidValue");
  });

  it("is patchable by the colon path, the dot path, the whole extension and path-less keys", async () => {
    const t = await tenantWithExtension();
    const user = await scim(t).createUser({ [EXT]: { costCode: "A" } });
    const patch = async (...ops: Json[]) => {
      const res = await scim(t).patch(`/Users/${user.id}`, patchOp(...ops));
      expect(res.status, await res.clone().text()).toBe(200);
      return (await json<Json>(res))[EXT];
    };
    expect(await patch({ op: "replace", path: `${EXT}:costCode`, value: "B" })).toEqual({ costCode: "B" });
    expect(await patch({ op: "add", path: `${EXT}.level`, value: 4 })).toEqual({ costCode: "B", level: 4 });
    expect(await patch({ op: "add", path: `${EXT}:skills`, value: ["x"] })).toEqual({ costCode: "B", level: 4, skills: ["x"] });
    expect(await patch({ op: "remove", path: `${EXT}:skills[value eq "x"]` })).toEqual({ costCode: "B", level: 4 });
    expect(await patch({ op: "replace", value: { [`${EXT}:costCode`]: "C" } })).toEqual({ costCode: "C", level: 4 });
    expect(await patch({ op: "remove", path: `${EXT}.level` })).toEqual({ costCode: "C" });
    await expectScimError(await scim(t).patch(`/Users/${user.id}`, patchOp({ op: "replace", path: `${EXT}:nope`, value: "x" })), 400, "invalidPath");
  });

  it("is listed in this tenant's /Schemas and /ResourceTypes only", async () => {
    const t = await tenantWithExtension();
    const other = await newTenant();
    const ids = async (x: TestTenant) => (await json<Json>(await scim(x).get("/Schemas"))).Resources.map((s: Json) => s.id);
    expect(await ids(t)).toContain(EXT);
    expect(await ids(other)).not.toContain(EXT);
    const schema = await json<Json>(await scim(t).get(`/Schemas/${EXT}`));
    expect(schema.attributes.map((a: Json) => a.name)).toEqual(["costCode", "level", "badge", "skills", "pin", "notes"]);
    expect(schema.attributes[2]).toMatchObject({ caseExact: true });
    expect((await scim(other).get(`/Schemas/${EXT}`)).status).toBe(404);
    const user = await json<Json>(await scim(t).get("/ResourceTypes/User"));
    expect(user.schemaExtensions).toContainEqual({ schema: EXT, required: false });
    const otherUser = await json<Json>(await scim(other).get("/ResourceTypes/User"));
    expect(otherUser.schemaExtensions).not.toContainEqual({ schema: EXT, required: false });
  });

  it("another tenant treats it as undeclared: accepted, dropped, counted", async () => {
    const other = await newTenant();
    const user = await scim(other).createUser({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", EXT], [EXT]: { costCode: "X" } });
    expect(user[EXT]).toBeUndefined();
    expect(user.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User"]);
  });

  it("uniqueness server: another user's value (case-folded unless caseExact) is 409 uniqueness on POST, PUT and PATCH", async () => {
    const t = await newTenant();
    const urn = "urn:acme:scim:schemas:extension:ids:1.0:User";
    const body = { attributes: [{ name: "employeeKey", type: "string", uniqueness: "server" }, { name: "seat", type: "string", uniqueness: "global", caseExact: true }] };
    expect((await declare(t, urn, body)).status).toBe(201);
    const a = await scim(t).createUser({ [urn]: { employeeKey: "K-1", seat: "S1" } });
    await expectScimError(await scim(t).post("/Users", userPayload({ [urn]: { employeeKey: "k-1" } })), 409, "uniqueness", /employeeKey "k-1" is already in use/);
    const b = await scim(t).createUser({ [urn]: { employeeKey: "K-2", seat: "s1" } });
    await expectScimError(await scim(t).patch(`/Users/${b.id}`, patchOp({ op: "replace", path: `${urn}:seat`, value: "S1" })), 409, "uniqueness");
    await expectScimError(await scim(t).put(`/Users/${b.id}`, userPayload({ userName: b.userName, [urn]: { employeeKey: "K-1" } })), 409, "uniqueness");
    // A user keeps its own value through a write that changes something else.
    const renamed = await scim(t).patch(`/Users/${a.id}`, patchOp({ op: "replace", path: "displayName", value: "A" }));
    expect(renamed.status).toBe(200);
    // Another tenant with the same declaration is independent.
    const other = await newTenant();
    expect((await declare(other, urn, body)).status).toBe(201);
    await scim(other).createUser({ [urn]: { employeeKey: "K-1" } });
  });

  it("a Group extension works on Groups", async () => {
    const t = await newTenant();
    const urn = "urn:acme:scim:schemas:extension:site:1.0:Group";
    expect((await declare(t, urn, { resourceType: "Group", attributes: [{ name: "site", type: "string" }] })).status).toBe(201);
    const group = await scim(t).createGroup({ [urn]: { site: "Leeds" } });
    expect(group[urn]).toEqual({ site: "Leeds" });
    const found = await json<Json>(await scim(t).get(`/Groups?filter=${encodeURIComponent(`${urn}:site eq "leeds"`)}`));
    expect(found.Resources.map((g: Json) => g.id)).toEqual([group.id]);
    const rt = await json<Json>(await scim(t).get("/ResourceTypes/Group"));
    expect(rt.schemaExtensions).toEqual([{ schema: urn, required: false }]);
  });

  it("removing the declaration hides its stored values and its schema", async () => {
    const t = await tenantWithExtension();
    const user = await scim(t).createUser({ [EXT]: { costCode: "gone" } });
    expect((await admin(`/tenants/${t.id}/extensions/${EXT}`, { method: "DELETE" })).status).toBe(204);
    const read = await json<Json>(await scim(t).get(`/Users/${user.id}`));
    expect(read[EXT]).toBeUndefined();
    expect(read.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User"]);
    expect((await scim(t).get(`/Schemas/${EXT}`)).status).toBe(404);
  });
});

describe("undeclared extensions", () => {
  const UNDECLARED = "urn:ietf:params:scim:schemas:extension:Contoso:2.0:User";

  it("POST, PUT and PATCH accept them, answer without them and count them per URN", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser({ [UNDECLARED]: { badge: "x" }, [`${UNDECLARED}:room`]: "12" });
    expect(Object.keys(user).filter((k) => k.startsWith("urn:"))).toEqual([]);
    const put = await scim(t).put(`/Users/${user.id}`, userPayload({ userName: user.userName, [UNDECLARED]: { badge: "y" } }));
    expect(put.status).toBe(200);
    // Counters are written with the change they belong to, so this PATCH also changes something.
    const patched = await scim(t).patch(`/Users/${user.id}`, patchOp(
      { op: "replace", path: "displayName", value: "Changed" },
      { op: "replace", path: `${UNDECLARED}:badge`, value: "z" },
      { op: "add", path: `${UNDECLARED}.room`, value: "13" },
      { op: "replace", value: { [`${UNDECLARED}:desk`]: "4" } },
    ));
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(Object.keys(await json<Json>(patched)).filter((k) => k.startsWith("urn:"))).toEqual([]);
    const counters = await json<{ rewrites: { rewrite: string; count: number }[] }>(await admin(`/tenants/${t.id}/compat`));
    expect(counters.rewrites.find((r) => r.rewrite === `undeclaredExtension:${UNDECLARED}`)?.count, JSON.stringify(counters)).toBe(3);
  });

  it("a group with an undeclared extension is accepted too", async () => {
    const t = await newTenant();
    const group = await scim(t).createGroup(groupPayload({ "urn:acme:ext:1.0:Group": { site: "x" } }));
    expect(group["urn:acme:ext:1.0:Group"]).toBeUndefined();
  });
});
