// The connector changes or deletes only hub objects it created or adopted (the ownership ledger):
// after a D1 restore a hub user we have no record of survives sweeps; the mass-delete guard holds
// a bulk SCIM delete of users or of groups until an admin confirms it (or raises the threshold);
// a stale run that outlived its lease cannot land its checkpoint over the next run's.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { patchOp, scim } from "../support/scim";
import { hubAdmin, hubJson, hubView, later, provisionedTenant, runSync, seedUsers, syncUntilIdle } from "../support/run-cron";
import { waitFor } from "../support/wait";
import { tenantD1 } from "../support/shard";

const MIN = 60_000;

describe("device hub sync: ownership ledger", () => {
  it("after a D1 restore, a hub user we have no record of is left alone and reported, not deleted", async () => {
    const { t, hub } = await provisionedTenant();
    const u = await scim(t).createUser();
    await runSync(t.id);
    // The restore takes D1 back to before the create: the SCIM user and our records are gone.
    const d1 = await tenantD1(t.id);
    await d1.batch([
      d1.prepare("DELETE FROM users WHERE tenant_id = ?").bind(t.id),
      d1.prepare("DELETE FROM hub_owned WHERE tenant_id = ?").bind(t.id),
      d1.prepare("DELETE FROM hub_users WHERE tenant_id = ?").bind(t.id),
    ]);
    for (let i = 1; i <= 2; i++) {
      await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
      expect((await syncUntilIdle(t.id, { clock: later(i * MIN) })).at(-1)!.tenants[0]).toMatchObject({ outcome: "finished" });
    }
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ userName: u.userName });
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.foreign).toEqual({ users: 1, groups: 0 });
    expect(status.lastCycle.counts.usersDeleted).toBe(0);
  });
});

describe("device hub sync: mass-delete guard", () => {
  it("holds a bulk SCIM delete of 30 % of the users until confirmed; other changes keep flowing", async () => {
    const { t, hub } = await provisionedTenant();
    const users = await seedUsers(t.id, 70);
    await syncUntilIdle(t.id);
    expect((await hubView(hub)).raw.users).toHaveLength(70);
    const s = scim(t);
    for (const u of users.slice(0, 21)) expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    const newcomer = await s.createUser();
    await runSync(t.id, { clock: later(MIN) });

    let view = await hubView(hub);
    expect(view.raw.users).toHaveLength(71);
    expect(view.users.get(newcomer.id)).toMatchObject({ userName: newcomer.userName });
    let status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.deletions).toEqual({ state: "awaitingConfirmation", users: 21, groups: 0, threshold: { percent: 10, minimum: 20 }, confirmed: null });
    // Still held on the next run.
    await runSync(t.id, { clock: later(2 * MIN) });
    expect((await hubView(hub)).raw.users).toHaveLength(71);

    await hubJson(`/tenants/${t.id}/provisioning/confirm-deletions`, { method: "POST" });
    await runSync(t.id, { clock: later(3 * MIN) });
    view = await hubView(hub);
    expect(view.raw.users).toHaveLength(50);
    for (const u of users.slice(0, 21)) expect(view.users.has(u.id)).toBe(false);
    status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.deletions).toMatchObject({ state: "flowing", users: 0, groups: 0 });
    expect(status.lastCycle.counts.usersDeleted).toBe(21);
    // The confirmation was used up: a second bulk delete waits again.
    for (const u of users.slice(21, 42)) expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(4 * MIN) });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).deletions).toMatchObject({ state: "awaitingConfirmation", users: 21 });
  });

  it("is set per tenant through the admin API; raising the threshold lets held deletions through", async () => {
    const { t, hub } = await provisionedTenant();
    const users = await seedUsers(t.id, 10);
    await syncUntilIdle(t.id);
    const policy = await hubJson(`/tenants/${t.id}/provisioning/policy`, { method: "PATCH", body: { deletionThreshold: { percent: 10, minimum: 2 } } });
    expect(policy).toEqual({ hubConflict: "reject", deletionThreshold: { percent: 10, minimum: 2 } });
    const s = scim(t);
    for (const u of users.slice(0, 3)) expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    // A deactivation counts too.
    expect((await s.patch(`/Users/${users[3]!.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] })).status).toBe(200);
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).deletions).toMatchObject({ state: "awaitingConfirmation", users: 4, threshold: { percent: 10, minimum: 2 } });
    expect((await hubView(hub)).raw.users.filter((u) => u.active)).toHaveLength(10);

    await hubJson(`/tenants/${t.id}/provisioning/policy`, { method: "PATCH", body: { deletionThreshold: { percent: 50 } } });
    await runSync(t.id, { clock: later(2 * MIN) });
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(7);
    expect(view.users.get(users[3]!.id)).toMatchObject({ active: false });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).deletions.state).toBe("flowing");
  });

  it("holds a bulk SCIM delete of groups the same way, until confirmed", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const groups = [];
    for (let i = 0; i < 10; i++) groups.push(await s.createGroup());
    await syncUntilIdle(t.id);
    expect((await hubView(hub)).raw.groups).toHaveLength(10);
    await hubJson(`/tenants/${t.id}/provisioning/policy`, { method: "PATCH", body: { deletionThreshold: { percent: 10, minimum: 2 } } });
    for (const g of groups.slice(0, 3)) expect((await s.delete(`/Groups/${g.id}`)).status).toBe(204);
    const renamed = await s.patch(`/Groups/${groups[5]!.id}`, patchOp({ op: "replace", path: "displayName", value: "Renamed meanwhile" }));
    // A group PATCH answers 204, without a body.
    expect(renamed.status).toBe(204);
    await runSync(t.id, { clock: later(MIN) });

    let view = await hubView(hub);
    expect(view.raw.groups).toHaveLength(10);
    // Other changes to groups keep flowing while the deletions wait.
    expect(view.groups.get(groups[5]!.id)).toMatchObject({ name: "Renamed meanwhile" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).deletions).toMatchObject({ state: "awaitingConfirmation", users: 0, groups: 3 });

    await hubJson(`/tenants/${t.id}/provisioning/confirm-deletions`, { method: "POST" });
    await runSync(t.id, { clock: later(2 * MIN) });
    view = await hubView(hub);
    expect(view.raw.groups).toHaveLength(7);
    for (const g of groups.slice(0, 3)) expect(view.groups.has(g.id)).toBe(false);
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.deletions).toMatchObject({ state: "flowing", groups: 0 });
    expect(status.lastCycle.counts.groupsDeleted).toBe(3);
  });

  it("rejects invalid policies with a 400", async () => {
    const { t } = await provisionedTenant();
    const res = await hubAdmin(`/tenants/${t.id}/provisioning/policy`, { method: "PATCH", body: { hubConflict: "merge" } });
    expect(res.status).toBe(400);
  });
});

describe("device hub sync: fenced runs", () => {
  it("a stale run (hung hub past its lease) cannot overwrite the next run's checkpoint", async () => {
    const { t, hub } = await provisionedTenant({ timeoutMs: 30_000 });
    const u = await scim(t).createUser();
    await hub.resetCalls();
    // The stale run's first hub read hangs; meanwhile its lease runs out and a new run takes over.
    await hub.fault({ kind: "timeout", delayMs: 8000, apply: false, method: "GET", pathPrefix: "/v1/users", count: 1 });
    const stale = runSync(t.id);
    await waitFor(async () => (await hub.calls()).total >= 1);
    const fresh = await runSync(t.id, { clock: later(10 * MIN) });
    expect(fresh.tenants[0]).toMatchObject({ outcome: "finished", kind: "initial" });
    const after = await hubJson(`/tenants/${t.id}/provisioning`);

    expect((await stale).tenants[0]).toMatchObject({ outcome: "paused", stop: "fenced" });
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status).toMatchObject({ currentCycle: null, activity: "idle", lastError: null, stuck: null });
    expect(status.lastCycle).toEqual(after.lastCycle);
    expect(status.lastCycle.id).toBe(fresh.tenants[0]!.cycleId);
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(1);
    expect(view.users.get(u.id)).toMatchObject({ userName: u.userName });
  });
});
