// Tenant isolation on every SCIM endpoint: tenant B's token can neither read, find, change,
// delete nor reference tenant A's resources, through any route (shared security suite).
import { describe, expect, it } from "vitest";
import { json } from "../support/http";
import { expectScimError, groupPayload, patchOp, scim, userPayload, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

async function twoTenants() {
  const a = await newTenant();
  const b = await newTenant();
  const user = await scim(a).createUser();
  const group = await scim(a).createGroup({ members: [{ value: user.id }] });
  return { a, b, user, group };
}

describe("tenant isolation", () => {
  it("reads: GET by id is 404 for another tenant's user and group", async () => {
    const { b, user, group } = await twoTenants();
    await expectScimError(await scim(b).get(`/Users/${user.id}`), 404);
    await expectScimError(await scim(b).get(`/Groups/${group.id}`), 404);
  });

  it("lists and filters never show another tenant's resources", async () => {
    const { b, user, group } = await twoTenants();
    for (const path of [
      "/Users",
      `/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`,
      `/Users?filter=${encodeURIComponent(`id eq "${user.id}"`)}`,
      `/Users?filter=${encodeURIComponent(`groups.value eq "${group.id}"`)}`,
      "/Groups",
      `/Groups?filter=${encodeURIComponent(`members[value eq "${user.id}"]`)}`,
      `/Groups?filter=${encodeURIComponent(`displayName eq "${group.displayName}"`)}`,
    ]) {
      const list = await json<Json>(await scim(b).get(path));
      expect(list.totalResults, path).toBe(0);
    }
    const search = await json<Json>(await scim(b).post("/.search", { filter: `id eq "${user.id}"` }));
    expect(search.totalResults).toBe(0);
  });

  it("writes: PUT, PATCH and DELETE on another tenant's ids are 404 and change nothing", async () => {
    const { a, b, user, group } = await twoTenants();
    await expectScimError(await scim(b).put(`/Users/${user.id}`, userPayload({ userName: user.userName })), 404);
    await expectScimError(await scim(b).patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "active", value: false })), 404);
    await expectScimError(await scim(b).delete(`/Users/${user.id}`), 404);
    await expectScimError(await scim(b).put(`/Groups/${group.id}`, groupPayload()), 404);
    await expectScimError(await scim(b).delete(`/Groups/${group.id}`), 404);
    const still = await json<Json>(await scim(a).get(`/Users/${user.id}`));
    expect(still.active).toBe(true);
    expect(still.meta.version).toBe(user.meta.version);
  });

  it("group membership cannot reference another tenant's user", async () => {
    const { b, user } = await twoTenants();
    await expectScimError(await scim(b).post("/Groups", groupPayload({ members: [{ value: user.id }] })), 400, "invalidValue");
    const own = await scim(b).createGroup();
    const res = await scim(b).patch(`/Groups/${own.id}`, patchOp({ op: "add", path: "members", value: [{ value: user.id }] }));
    await expectScimError(res, 400, "invalidValue");
  });

  it("Bulk operations stay inside the token's tenant", async () => {
    const { a, b, user } = await twoTenants();
    const res = await json<Json>(
      await scim(b).post("/Bulk", {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        Operations: [
          { method: "DELETE", path: `/Users/${user.id}` },
          { method: "PATCH", path: `/Users/${user.id}`, data: patchOp({ op: "replace", path: "active", value: false }) },
        ],
      }),
    );
    expect(res.Operations.map((o: Json) => o.status)).toEqual(["404", "404"]);
    expect((await scim(a).get(`/Users/${user.id}`)).status).toBe(200);
  });
});
