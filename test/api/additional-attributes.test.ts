// The built-in "additional attributes" extension of Eptura's API, declared for every tenant:
// listed, validated, stored, returned, filterable and patchable by the colon and the dot path.
import { describe, expect, it } from "vitest";
import { ADDITIONAL_ATTRIBUTES_SCHEMA as EXT } from "../../src/scim/schema/additional-attributes";
import { call, json } from "../support/http";
import { expectScimError, patchOp, scim, userPayload, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const ALL = {
  group: "Facilities",
  floor: "3",
  businessCategory: "Engineering",
  image: "https://img.example/ada.png",
  phoneExtension: "4021",
  workMode: "Hybrid",
  officeLocation: "London",
  custom: ["a", "b"],
};

describe("additional attributes (customextensionname)", () => {
  it("every tenant lists it in /Schemas and /ResourceTypes, literally as Eptura names it", async () => {
    const t = await newTenant();
    const schema = await json<Json>(await scim(t).get(`/Schemas/${EXT}`));
    expect(schema.id).toBe("urn:ietf:params:scim:schemas:extension:customextensionname:2.0:User");
    expect(schema.attributes.map((a: Json) => [a.name, a.type, a.multiValued])).toEqual([
      ["group", "string", false],
      ["floor", "string", false],
      ["businessCategory", "string", false],
      ["image", "string", false],
      ["phoneExtension", "string", false],
      ["workMode", "string", false],
      ["officeLocation", "string", false],
      ["custom", "string", true],
    ]);
    const rt = await json<Json>(await scim(t).get("/ResourceTypes/User"));
    expect(rt.schemaExtensions).toContainEqual({ schema: EXT, required: false });
  });

  it("is stored and returned, through the Eptura base path too", async () => {
    const t = await newTenant();
    const res = await call("/scim/api/V1/users", { token: t.token, body: userPayload({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", EXT], [EXT]: ALL }) });
    expect(res.status, await res.clone().text()).toBe(201);
    const user = await json<Json>(res);
    expect(user[EXT]).toEqual(ALL);
    expect(user.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", EXT]);
    expect((await json<Json>(await scim(t).get(`/Users/${user.id}`)))[EXT]).toEqual(ALL);
  });

  it("is validated: a number for floor or a non-string custom value is 400 invalidValue", async () => {
    const t = await newTenant();
    await expectScimError(await scim(t).post("/Users", userPayload({ [EXT]: { floor: 3 } })), 400, "invalidValue", /floor must be a string/);
    await expectScimError(await scim(t).post("/Users", userPayload({ [EXT]: { custom: [1] } })), 400, "invalidValue", /custom\[0\] must be a string/);
  });

  it("is filterable", async () => {
    const t = await newTenant();
    const a = await scim(t).createUser({ [EXT]: { floor: "3", officeLocation: "London", custom: ["x"] } });
    await scim(t).createUser({ [EXT]: { floor: "4", officeLocation: "Leeds" } });
    const ids = async (filter: string) =>
      (await json<Json>(await scim(t).get(`/Users?filter=${encodeURIComponent(filter)}`))).Resources.map((r: Json) => r.id);
    expect(await ids(`${EXT}:floor eq "3"`)).toEqual([a.id]);
    expect(await ids(`${EXT}:officeLocation sw "lon"`)).toEqual([a.id]);
    expect(await ids(`${EXT}:custom eq "x"`)).toEqual([a.id]);
    expect(await ids(`workMode pr`)).toEqual([]);
  });

  it("is patchable by the colon form and the dot form of the path, as Entra sends both", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser({ [EXT]: { floor: "1" } });
    const patch = async (op: Json) => {
      const res = await scim(t).patch(`/Users/${user.id}`, patchOp(op));
      expect(res.status, await res.clone().text()).toBe(200);
      return (await json<Json>(res))[EXT];
    };
    expect(await patch({ op: "replace", path: `${EXT}:floor`, value: "2" })).toEqual({ floor: "2" });
    expect(await patch({ op: "Replace", path: `${EXT}.floor`, value: "5" })).toEqual({ floor: "5" });
    expect(await patch({ op: "add", path: `${EXT}.workMode`, value: "Remote" })).toEqual({ floor: "5", workMode: "Remote" });
    expect(await patch({ op: "add", path: `${EXT}:custom`, value: "c1" })).toEqual({ floor: "5", workMode: "Remote", custom: ["c1"] });
    expect(await patch({ op: "remove", path: `${EXT}:floor` })).toEqual({ workMode: "Remote", custom: ["c1"] });
  });
});
