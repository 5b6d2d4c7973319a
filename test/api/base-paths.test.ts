// The SCIM base paths of Eptura's guide (/scim/api/V1/, /scim/v1/) serve what /scim/v2 serves,
// with lower-case resource names and trailing slashes, and answer locations in the client's base.
import { describe, expect, it } from "vitest";
import { call, json } from "../support/http";
import { expectScimError, patchOp, userPayload, groupPayload, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const ORIGIN = "https://scim.test";
const BASES = ["/scim/api/V1", "/scim/v1", "/scim/v2"];

describe.each(BASES)("SCIM base %s", (base) => {
  it("creates, reads, lists, patches and deletes users with lower-case names; locations follow the base", async () => {
    const t = await newTenant();
    const created = await call(`${base}/users/`, { token: t.token, body: userPayload() });
    expect(created.status, await created.clone().text()).toBe(201);
    const user = await json<Json>(created);
    expect(user.meta.location).toBe(`${ORIGIN}${base}/Users/${user.id}`);
    expect(created.headers.get("Location")).toBe(user.meta.location);

    const read = await json<Json>(await call(`${base}/users/${user.id}`, { token: t.token }));
    expect(read.meta.location).toBe(`${ORIGIN}${base}/Users/${user.id}`);
    const list = await json<Json>(await call(`${base}/users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`, { token: t.token }));
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0].meta.location).toBe(`${ORIGIN}${base}/Users/${user.id}`);

    const patched = await call(`${base}/users/${user.id}`, {
      token: t.token,
      method: "PATCH",
      body: patchOp({ op: "replace", path: "displayName", value: "Renamed" }),
    });
    expect((await json<Json>(patched)).displayName).toBe("Renamed");
    expect((await call(`${base}/users/${user.id}`, { token: t.token, method: "DELETE" })).status).toBe(204);
    await expectScimError(await call(`${base}/users/${user.id}`, { token: t.token }), 404);
  });

  it("serves groups with member $refs in the client's base", async () => {
    const t = await newTenant();
    const user = await json<Json>(await call(`${base}/users`, { token: t.token, body: userPayload() }));
    const res = await call(`${base}/groups`, { token: t.token, body: groupPayload({ members: [{ value: user.id }] }) });
    expect(res.status).toBe(201);
    const group = await json<Json>(res);
    expect(group.meta.location).toBe(`${ORIGIN}${base}/Groups/${group.id}`);
    expect(group.members[0].$ref).toBe(`${ORIGIN}${base}/Users/${user.id}`);
    const withGroups = await json<Json>(await call(`${base}/users/${user.id}`, { token: t.token }));
    expect(withGroups.groups[0].$ref).toBe(`${ORIGIN}${base}/Groups/${group.id}`);
  });

  it("discovery: serviceproviderconfig, schemas/{urn} and resourcetypes answer in the client's base", async () => {
    const t = await newTenant();
    const spc = await call(`${base}/serviceproviderconfig/`, { token: t.token });
    expect(spc.status).toBe(200);
    expect((await json<Json>(spc)).meta.location).toBe(`${ORIGIN}${base}/ServiceProviderConfig`);
    const urn = "urn:ietf:params:scim:schemas:core:2.0:User";
    const schema = await call(`${base}/schemas/${urn}`, { token: t.token });
    expect(schema.status).toBe(200);
    expect((await json<Json>(schema)).meta.location).toBe(`${ORIGIN}${base}/Schemas/${urn}`);
    const types = await json<Json>(await call(`${base}/resourcetypes`, { token: t.token }));
    expect(types.Resources.map((r: Json) => r.meta.location)).toContain(`${ORIGIN}${base}/ResourceTypes/User`);
  });

  it("needs the same bearer token: none → 401", async () => {
    await expectScimError(await call(`${base}/users`), 401);
  });
});

describe("one directory behind every base", () => {
  it("a user written through one base is read through the others, in the same tenant only", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const user = await json<Json>(await call("/scim/api/V1/users", { token: t.token, body: userPayload() }));
    for (const base of BASES) {
      expect((await call(`${base}/Users/${user.id}`, { token: t.token })).status, base).toBe(200);
      expect((await call(`${base}/Users/${user.id}`, { token: other.token })).status, base).toBe(404);
    }
  });

  it("Bulk through /scim/v1 answers locations in that base", async () => {
    const t = await newTenant();
    const res = await call("/scim/v1/bulk", {
      token: t.token,
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        Operations: [{ method: "POST", path: "/Users", bulkId: "u1", data: userPayload() }],
      },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json<Json>(res);
    expect(body.Operations[0].location).toMatch(new RegExp(`^${ORIGIN}/scim/v1/Users/`));
  });
});
