import { describe, expect, it } from "vitest";
import { json } from "../support/http";
import { expectScimError, scim, userPayload, groupPayload, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const bulk = (operations: Json[], extra: Json = {}) => ({
  schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
  Operations: operations,
  ...extra,
});

describe("Bulk", () => {
  it("runs POST, PATCH and DELETE in order and reports each result", async () => {
    const t = await newTenant();
    const existing = await scim(t).createUser();
    const res = await scim(t).post(
      "/Bulk",
      bulk([
        { method: "POST", path: "/Users", bulkId: "u1", data: userPayload() },
        { method: "PATCH", path: `/Users/${existing.id}`, data: { Operations: [{ op: "replace", path: "title", value: "Boss" }] } },
        { method: "DELETE", path: `/Users/${existing.id}` },
      ]),
    );
    expect(res.status).toBe(200);
    const body = await json<Json>(res);
    expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:BulkResponse"]);
    expect(body.Operations.map((o: Json) => [o.method, o.status])).toEqual([
      ["POST", "201"],
      ["PATCH", "200"],
      ["DELETE", "204"],
    ]);
    expect(body.Operations[0].location).toMatch(/^https:\/\/scim\.test\/scim\/v2\/Users\/[0-9a-f-]{36}$/);
    expect(body.Operations[0].version).toBe('W/"1"');
    expect((await scim(t).get(`/Users/${existing.id}`)).status).toBe(404);
  });

  it("resolves bulkId references in group members, including forward references", async () => {
    const t = await newTenant();
    const res = await scim(t).post(
      "/Bulk",
      bulk([
        { method: "POST", path: "/Groups", bulkId: "g1", data: groupPayload({ members: [{ value: "bulkId:u1" }, { value: "bulkId:u2" }] }) },
        { method: "POST", path: "/Users", bulkId: "u1", data: userPayload() },
        { method: "POST", path: "/Users", bulkId: "u2", data: userPayload() },
      ]),
    );
    const body = await json<Json>(res);
    expect(body.Operations.map((o: Json) => o.status)).toEqual(["201", "201", "201"]);
    const groupId = body.Operations[0].location.split("/").pop();
    const userIds = body.Operations.slice(1).map((o: Json) => o.location.split("/").pop()).sort();
    const group = await json<Json>(await scim(t).get(`/Groups/${groupId}`));
    expect(group.members.map((m: Json) => m.value).sort()).toEqual(userIds);
  });

  it("fails an operation whose reference failed, and stops after failOnErrors", async () => {
    const t = await newTenant();
    const dup = await scim(t).createUser();
    const res = await scim(t).post(
      "/Bulk",
      bulk(
        [
          { method: "POST", path: "/Users", bulkId: "bad", data: userPayload({ userName: dup.userName }) },
          { method: "POST", path: "/Groups", bulkId: "g", data: groupPayload({ members: [{ value: "bulkId:bad" }] }) },
          { method: "POST", path: "/Users", bulkId: "never", data: userPayload() },
        ],
        { failOnErrors: 2 },
      ),
    );
    const body = await json<Json>(res);
    expect(body.Operations).toHaveLength(2);
    expect(body.Operations[0]).toMatchObject({ bulkId: "bad", status: "409", response: { scimType: "uniqueness", status: "409" } });
    expect(body.Operations[1]).toMatchObject({ bulkId: "g", status: "400", response: { scimType: "invalidValue" } });
    const list = await json<Json>(await scim(t).get("/Users"));
    expect(list.totalResults).toBe(1);
  });

  it("reports circular references and unknown bulkIds", async () => {
    const t = await newTenant();
    const res = await scim(t).post(
      "/Bulk",
      bulk([
        { method: "POST", path: "/Groups", bulkId: "a", data: groupPayload({ members: [{ value: "bulkId:b" }] }) },
        { method: "POST", path: "/Groups", bulkId: "b", data: groupPayload({ members: [{ value: "bulkId:a" }] }) },
        { method: "POST", path: "/Groups", bulkId: "c", data: groupPayload({ members: [{ value: "bulkId:zzz" }] }) },
      ]),
    );
    const body = await json<Json>(res);
    const byId = Object.fromEntries(body.Operations.map((o: Json) => [o.bulkId, o]));
    expect(byId.a.response.detail).toMatch(/circular/);
    expect(byId.b.response.detail).toMatch(/circular/);
    expect(byId.c.response.detail).toMatch(/bulkId:zzz/);
  });

  it("enforces maxOperations with 413, and validates the envelope", async () => {
    const t = await newTenant();
    const ops = Array.from({ length: 1001 }, () => ({ method: "DELETE", path: "/Users/x" }));
    await expectScimError(await scim(t).post("/Bulk", bulk(ops)), 413, undefined, /1000/);
    await expectScimError(await scim(t).post("/Bulk", { Operations: "nope" }), 400, "invalidValue", /Operations/);
    await expectScimError(await scim(t).post("/Bulk", bulk([{ method: "GET", path: "/Users" }])), 400, "invalidValue", /method/);
  });

  it("advertises its limits in ServiceProviderConfig", async () => {
    const t = await newTenant();
    const spc = await json<Json>(await scim(t).get("/ServiceProviderConfig"));
    expect(spc.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
  });
});

describe("POST /.search", () => {
  it("searches Users and Groups with one SearchRequest and pages over both", async () => {
    const t = await newTenant();
    const u = await scim(t).createUser();
    const g = await scim(t).createGroup();
    const res = await scim(t).post("/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      attributes: ["id"],
      startIndex: 1,
      count: 10,
    });
    const body = await json<Json>(res);
    expect(body.totalResults).toBe(2);
    expect(body.Resources.map((r: Json) => r.id)).toEqual([u.id, g.id]);
    const second = await json<Json>(await scim(t).post("/.search", { startIndex: 2, count: 1 }));
    expect(second.Resources.map((r: Json) => r.id)).toEqual([g.id]);
    const users = await json<Json>(await scim(t).post("/.search", { filter: `userName eq "${u.userName}"` }));
    expect(users.totalResults).toBe(1);
    expect(users.Resources[0].id).toBe(u.id);
  });

  it("POST /Users/.search takes a SearchRequest", async () => {
    const t = await newTenant();
    const u = await scim(t).createUser();
    await scim(t).createUser();
    const body = await json<Json>(await scim(t).post("/Users/.search", { filter: `externalId eq "${u.externalId}"`, attributes: ["userName"] }));
    expect(body.Resources).toEqual([{ schemas: u.schemas, id: u.id, userName: u.userName }]);
  });
});
