import { describe, expect, it } from "vitest";
import { json } from "../support/http";
import { expectScimError, groupPayload, patchOp, scim, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const memberIds = async (t: Awaited<ReturnType<typeof newTenant>>, groupId: string) => {
  const got = await json<Json>(await scim(t).get(`/Groups/${groupId}`));
  return (got.members ?? []).map((m: Json) => m.value).sort();
};

describe("Groups", () => {
  it("the Entra group body (extra Microsoft schema URN, no members) → 201 with members: []", async () => {
    const t = await newTenant();
    const res = await scim(t).post("/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
      displayName: "displayName",
      meta: { resourceType: "Group" },
    });
    expect(res.status).toBe(201);
    const group = await json<Json>(res);
    expect(group).toMatchObject({ displayName: "displayName", externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", members: [] });
    expect(group.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:Group"]);
    expect(res.headers.get("Location")).toBe(`https://scim.test/scim/v2/Groups/${group.id}`);
  });

  it("a duplicate displayName (any case) is 409 uniqueness", async () => {
    const t = await newTenant();
    const g = await scim(t).createGroup();
    await expectScimError(await scim(t).post("/Groups", groupPayload({ displayName: g.displayName.toUpperCase() })), 409, "uniqueness", /displayName/);
  });

  it("creates with members; unknown member ids are 400 invalidValue and nothing is written", async () => {
    const t = await newTenant();
    const u = await scim(t).createUser();
    const g = await scim(t).createGroup({ members: [{ value: u.id }] });
    expect(g.members).toEqual([{ value: u.id, $ref: `https://scim.test/scim/v2/Users/${u.id}`, type: "User", display: u.userName }]);
    const bad = groupPayload({ members: [{ value: u.id }, { value: "nope" }] });
    await expectScimError(await scim(t).post("/Groups", bad), 400, "invalidValue", /nope/);
    const list = await json<Json>(await scim(t).get(`/Groups?filter=${encodeURIComponent(`displayName eq "${bad.displayName}"`)}`));
    expect(list.totalResults).toBe(0);
  });

  it("excludedAttributes=members on get and filtered list", async () => {
    const t = await newTenant();
    const u = await scim(t).createUser();
    const g = await scim(t).createGroup({ members: [{ value: u.id }] });
    const got = await json<Json>(await scim(t).get(`/Groups/${g.id}?excludedAttributes=members`));
    expect(got.members).toBeUndefined();
    expect(got.displayName).toBe(g.displayName);
    const list = await json<Json>(
      await scim(t).get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${g.displayName}"`)}`),
    );
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0].members).toBeUndefined();
    expect(list.Resources[0].id).toBe(g.id);
  });

  it("PATCH replace displayName → 204, name changes, clash → 409", async () => {
    const t = await newTenant();
    const [g, other] = [await scim(t).createGroup(), await scim(t).createGroup()];
    const res = await scim(t).patch(`/Groups/${g.id}`, patchOp({ op: "Replace", path: "displayName", value: "renamed-" + g.displayName }));
    expect(res.status).toBe(204);
    expect((await json<Json>(await scim(t).get(`/Groups/${g.id}`))).displayName).toBe("renamed-" + g.displayName);
    const clash = await scim(t).patch(`/Groups/${g.id}`, patchOp({ op: "Replace", path: "displayName", value: other.displayName }));
    await expectScimError(clash, 409, "uniqueness");
  });

  it("add members ($ref null), idempotently, 1 and 100 at a time", async () => {
    const t = await newTenant();
    const g = await scim(t).createGroup();
    const users = await Promise.all(Array.from({ length: 101 }, () => scim(t).createUser()));
    const one = patchOp({ op: "Add", path: "members", value: [{ $ref: null, value: users[0]!.id }] });
    expect((await scim(t).patch(`/Groups/${g.id}`, one)).status).toBe(204);
    expect((await scim(t).patch(`/Groups/${g.id}`, one)).status).toBe(204);
    const many = patchOp({ op: "Add", path: "members", value: users.slice(1).map((u) => ({ value: u.id })) });
    expect((await scim(t).patch(`/Groups/${g.id}`, many)).status).toBe(204);
    expect(await memberIds(t, g.id)).toEqual(users.map((u) => u.id).sort());
  });

  it("legacy remove with a value array removes only the listed members — never all", async () => {
    const t = await newTenant();
    const users = await Promise.all([1, 2, 3].map(() => scim(t).createUser()));
    const g = await scim(t).createGroup({ members: users.map((u) => ({ value: u.id })) });
    const res = await scim(t).patch(`/Groups/${g.id}`, patchOp({ op: "Remove", path: "members", value: [{ $ref: null, value: users[0]!.id }] }));
    expect(res.status).toBe(204);
    expect(await memberIds(t, g.id)).toEqual([users[1]!.id, users[2]!.id].sort());
    await scim(t).patch(`/Groups/${g.id}`, patchOp({ op: "Remove", path: "members", value: [{ value: users[1]!.id }] }));
    expect(await memberIds(t, g.id)).toEqual([users[2]!.id]);
  });

  it("RFC remove by filter, idempotent; remove all without value; add and remove in one request", async () => {
    const t = await newTenant();
    const users = await Promise.all([1, 2, 3].map(() => scim(t).createUser()));
    const g = await scim(t).createGroup({ members: [{ value: users[0]!.id }, { value: users[1]!.id }] });
    const rm = patchOp({ op: "remove", path: `members[value eq "${users[0]!.id}"]` });
    expect((await scim(t).patch(`/Groups/${g.id}`, rm)).status).toBe(204);
    expect((await scim(t).patch(`/Groups/${g.id}`, rm)).status).toBe(204);
    expect(await memberIds(t, g.id)).toEqual([users[1]!.id]);
    const both = patchOp(
      { op: "add", path: "members", value: [{ value: users[2]!.id }] },
      { op: "remove", path: `members[value eq "${users[1]!.id}"]` },
    );
    expect((await scim(t).patch(`/Groups/${g.id}`, both)).status).toBe(204);
    expect(await memberIds(t, g.id)).toEqual([users[2]!.id]);
    expect((await scim(t).patch(`/Groups/${g.id}`, patchOp({ op: "remove", path: "members" }))).status).toBe(204);
    expect(await memberIds(t, g.id)).toEqual([]);
  });

  it("atomicity: a failing member op leaves the rename unapplied", async () => {
    const t = await newTenant();
    const g = await scim(t).createGroup();
    const res = await scim(t).patch(
      `/Groups/${g.id}`,
      patchOp({ op: "replace", path: "displayName", value: "never-" + g.displayName }, { op: "add", path: "members", value: [{ value: "missing-id" }] }),
    );
    await expectScimError(res, 400, "invalidValue", /missing-id/);
    const got = await json<Json>(await scim(t).get(`/Groups/${g.id}`));
    expect(got.displayName).toBe(g.displayName);
    expect(got.meta.version).toBe(g.meta.version);
  });

  it("concurrent member adds to one group all stick", async () => {
    const t = await newTenant();
    const g = await scim(t).createGroup();
    const users = await Promise.all(Array.from({ length: 10 }, () => scim(t).createUser()));
    const results = await Promise.all(
      users.map((u) => scim(t).patch(`/Groups/${g.id}`, patchOp({ op: "Add", path: "members", value: [{ value: u.id }] }))),
    );
    expect(results.map((r) => r.status)).toEqual(users.map(() => 204));
    expect(await memberIds(t, g.id)).toEqual(users.map((u) => u.id).sort());
  });

  it("PATCH with attributes answers 200 with the projected group", async () => {
    const t = await newTenant();
    const g = await scim(t).createGroup();
    const res = await scim(t).patch(`/Groups/${g.id}?attributes=displayName`, patchOp({ op: "replace", path: "displayName", value: "x-" + g.displayName }));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], id: g.id, displayName: "x-" + g.displayName });
  });

  it("PUT replaces displayName and members; repeating it is a no-op for the version", async () => {
    const t = await newTenant();
    const [u1, u2] = [await scim(t).createUser(), await scim(t).createUser()];
    const g = await scim(t).createGroup({ members: [{ value: u1.id }] });
    const body = groupPayload({ displayName: "put-" + g.displayName, members: [{ value: u2.id }] });
    const first = await json<Json>(await scim(t).put(`/Groups/${g.id}`, body));
    expect(first.members.map((m: Json) => m.value)).toEqual([u2.id]);
    const again = await json<Json>(await scim(t).put(`/Groups/${g.id}`, body));
    expect(again.meta.version).toBe(first.meta.version);
  });

  it("DELETE → 204, then 404, and the user no longer lists the group", async () => {
    const t = await newTenant();
    const u = await scim(t).createUser();
    const g = await scim(t).createGroup({ members: [{ value: u.id }] });
    expect((await scim(t).delete(`/Groups/${g.id}`)).status).toBe(204);
    await expectScimError(await scim(t).get(`/Groups/${g.id}`), 404);
    expect((await json<Json>(await scim(t).get(`/Users/${u.id}`))).groups).toEqual([]);
  });

  it("another tenant's group is 404 for read, patch and delete", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const g = await scim(a).createGroup();
    await expectScimError(await scim(b).get(`/Groups/${g.id}`), 404);
    await expectScimError(await scim(b).patch(`/Groups/${g.id}`, patchOp({ op: "replace", path: "displayName", value: "x" })), 404);
    await expectScimError(await scim(b).delete(`/Groups/${g.id}`), 404);
  });
});
