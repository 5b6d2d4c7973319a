// The Device Hub sync end to end: SCIM writes through the real API, cycles through the real
// reconcile entry, hub state read back from the emulator. Every action kind and pending members.
import { describe, expect, it } from "vitest";
import { patchOp, scim } from "../support/scim";
import { hubAdmin, hubJson, hubView, provisionedTenant, runCron, runSync, seedUsers } from "../support/run-cron";
import { waitFor } from "../support/wait";

const sorted = (ids: string[]) => [...ids].sort();

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("device hub sync: users", () => {
  it("creates, updates, deactivates and deletes users in the hub", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const ada = await s.createUser({ displayName: "Ada Lovelace", title: "Countess", [ENTERPRISE]: { department: "R&D", employeeNumber: "42" } });
    const bob = await s.createUser();
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "finished", kind: "initial" });
    let view = await hubView(hub);
    expect(view.users.get(ada.id)).toMatchObject({
      userName: ada.userName, displayName: "Ada Lovelace", email: ada.userName, givenName: "Ada", familyName: "Lovelace",
      jobTitle: "Countess", department: "R&D", employeeNumber: "42", active: true,
    });
    expect(view.users.size).toBe(2);

    expect((await s.patch(`/Users/${ada.id}`, patchOp({ op: "replace", path: "displayName", value: "Ada King" }))).status).toBe(200);
    expect((await s.patch(`/Users/${bob.id}`, patchOp({ op: "replace", path: "active", value: false }))).status).toBe(200);
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "finished", kind: "incremental" });
    view = await hubView(hub);
    expect(view.users.get(ada.id)).toMatchObject({ displayName: "Ada King", active: true });
    expect(view.users.get(bob.id)).toMatchObject({ active: false });

    expect((await s.delete(`/Users/${ada.id}`)).status).toBe(204);
    await runSync(t.id);
    view = await hubView(hub);
    expect([...view.users.keys()]).toEqual([bob.id]);

    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status).toMatchObject({ state: "started", activity: "idle", currentCycle: null, lastError: null });
    expect(status.lastCycle.counts).toMatchObject({ usersDeleted: 1 });
  });

  it("runs through the real scheduled handler (its message, the real queue consumer)", async () => {
    const { t, hub } = await provisionedTenant();
    const u = await scim(t).createUser();
    await runCron();
    await waitFor(async () => (await hubView(hub)).users.has(u.id));
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ userName: u.userName });
  });
});

describe("device hub sync: groups and memberships", () => {
  it("creates groups with their members, renames, adds and removes members, deletes groups", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const [a, b, c] = [await s.createUser(), await s.createUser(), await s.createUser()];
    const sales = await s.createGroup({ displayName: "Sales", members: [{ value: a.id }, { value: b.id }] });
    const ops = await s.createGroup({ displayName: "Ops" });
    await runSync(t.id);
    let view = await hubView(hub);
    expect(view.groups.get(sales.id)).toMatchObject({ name: "Sales", memberCount: 2 });
    expect(view.groups.get(ops.id)).toMatchObject({ name: "Ops", memberCount: 0 });
    expect(view.members[sales.id]).toEqual(sorted([a.id, b.id]));

    await s.patch(`/Groups/${sales.id}`, patchOp(
      { op: "replace", path: "displayName", value: "Sales EMEA" },
      { op: "add", path: "members", value: [{ value: c.id }] },
      { op: "remove", path: `members[value eq "${a.id}"]` },
    ));
    await s.patch(`/Groups/${ops.id}`, patchOp({ op: "add", path: "members", value: [{ value: a.id }] }));
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "finished", kind: "incremental" });
    view = await hubView(hub);
    expect(view.groups.get(sales.id)).toMatchObject({ name: "Sales EMEA" });
    expect(view.members[sales.id]).toEqual(sorted([b.id, c.id]));
    expect(view.members[ops.id]).toEqual([a.id]);

    // Replacing the whole member list (PUT) is diffed against the mirror: one add, one remove.
    const put = await s.put(`/Groups/${sales.id}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Sales EMEA", members: [{ value: a.id }, { value: b.id }] });
    expect(put.status).toBe(200);
    await hub.resetCalls();
    await runSync(t.id);
    view = await hubView(hub);
    expect(view.members[sales.id]).toEqual(sorted([a.id, b.id]));
    expect((await hub.calls()).byRoute).toEqual({ "POST /v1/groups/:id/members/add": 1, "POST /v1/groups/:id/members/remove": 1 });

    expect((await s.delete(`/Groups/${ops.id}`)).status).toBe(204);
    await runSync(t.id);
    view = await hubView(hub);
    expect([...view.groups.keys()]).toEqual([sales.id]);
    expect(view.members[ops.id]).toBeUndefined();
    const last = (await hubJson(`/tenants/${t.id}/provisioning`)).lastCycle;
    expect(last.counts).toMatchObject({ groupsDeleted: 1 });
  });

  it("keeps members pending until their user exists in the hub, then adds them", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const a = await s.createUser();
    const g = await s.createGroup({ members: [{ value: a.id }] });
    await runSync(t.id);
    // b cannot be created in the hub: a hub admin took its userName meanwhile (409, parked).
    const b = await s.createUser();
    const squatter = (await hub.api("POST", "/v1/users", { userName: b.userName })).body!;
    await s.patch(`/Groups/${g.id}`, patchOp({ op: "add", path: "members", value: [{ value: b.id }] }));
    await runSync(t.id);
    expect((await hubView(hub)).members[g.id]).toEqual([a.id]);
    let status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.queue).toMatchObject({ pending: 1, parked: 1 });
    const parked = await hubJson(`/tenants/${t.id}/provisioning/parked`);
    expect(parked.items).toEqual([expect.objectContaining({ kind: "user", resourceId: b.id, attempts: 1 })]);
    expect(parked.items[0].lastError).toMatch(/conflict 409 user_name_taken/);

    // The hub admin frees the name; an admin retries the parked user: it and its membership go through.
    expect((await hub.api("DELETE", `/v1/users/${squatter.id}`)).status).toBe(204);
    await hubJson(`/tenants/${t.id}/provisioning/parked/${parked.items[0].id}/retry`, { method: "POST" });
    await runSync(t.id);
    const view = await hubView(hub);
    expect(view.users.get(b.id)).toMatchObject({ userName: b.userName });
    expect(view.members[g.id]).toEqual(sorted([a.id, b.id]));
    status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.queue).toMatchObject({ pending: 0, parked: 0 });
  });

  it("syncs only direct user members (the hub has no nested groups)", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const a = await s.createUser();
    const inner = await s.createGroup({ members: [{ value: a.id }] });
    const outer = await s.createGroup({ members: [{ value: inner.id, type: "Group" }] });
    await runSync(t.id);
    const view = await hubView(hub);
    expect(view.groups.get(outer.id)).toMatchObject({ memberCount: 0 });
    expect(view.members[inner.id]).toEqual([a.id]);
  });
});

describe("device hub sync: provisioning log", () => {
  it("a page of 500 log entries and parked items about more than 100 resources names each of them (soak: 500 too many SQL variables)", async () => {
    const { t } = await provisionedTenant();
    const seeded = await seedUsers(t.id, 150, "named");
    await runSync(t.id);
    const { entries } = await hubJson(`/tenants/${t.id}/provisioning/logs?limit=500`);
    const created = (entries as { action: string; scimId: string; name: string | null }[]).filter((e) => e.action === "user.create");
    expect(created).toHaveLength(150);
    const byId = new Map(seeded.map((u) => [u.id, u.userName]));
    for (const e of created) expect(e.name).toBe(byId.get(e.scimId));
    const parked = await hubAdmin(`/tenants/${t.id}/provisioning/parked?limit=500`);
    expect(parked.status).toBe(200);
  });

  it("logs one entry per hub operation, newest first, with cursor paging", async () => {
    const { t } = await provisionedTenant();
    const s = scim(t);
    const u = await s.createUser();
    const g = await s.createGroup({ members: [{ value: u.id }] });
    await runSync(t.id);
    const page1 = await hubJson(`/tenants/${t.id}/provisioning/logs?limit=2`);
    expect(page1.entries.map((e: { action: string }) => e.action)).toEqual(["members.add", "group.create"]);
    expect(page1.entries[0]).toMatchObject({ scimId: g.id, result: "ok", count: 1, error: null });
    expect(page1.entries[0].hubId).toMatch(/^grp_/);
    const page2 = await hubJson(`/tenants/${t.id}/provisioning/logs?limit=2&cursor=${page1.nextCursor}`);
    expect(page2.entries).toEqual([expect.objectContaining({ action: "user.create", scimId: u.id, result: "ok" })]);
    expect(page2.nextCursor).toBeNull();
    // The numeric cursors given before cursors named their shard still page; anything else is 400.
    const legacy = await hubJson(`/tenants/${t.id}/provisioning/logs?limit=2&cursor=${page1.entries[1].id}`);
    expect(legacy.entries).toEqual(page2.entries);
    for (const bad of ["x", btoa("a:DB:1"), "-1"]) {
      const res = await hubAdmin(`/tenants/${t.id}/provisioning/logs?cursor=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json() as { error: { message: string } }).error.message).toBe("cursor is not a cursor this endpoint returned");
    }
  });
});
