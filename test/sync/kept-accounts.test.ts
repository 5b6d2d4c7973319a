// Keep hub accounts instead of re-creating them (issue 22): every new hub account emails the person
// a PIN, so a SCIM delete deactivates the hub account at once and deletes it only after the
// tenant's grace period (deletedUserGraceDays, default 30); a re-create of the same userName within
// it (Entra's delete-then-recreate, a restore from its recycle bin) relinks the kept account.
import { describe, expect, it } from "vitest";
import { patchOp, scim } from "../support/scim";
import { hubAdmin, hubJson, hubView, later, provisionedTenant, runSync, seedUsers, syncUntilIdle, type Json } from "../support/run-cron";
import { tenantD1 } from "../support/shard";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** The test harness turns the grace period off unless asked; undefined leaves it out of the PUT: the default. */
const withGrace = (days?: number) => provisionedTenant({ deletedUserGraceDays: days });

async function ledger(tenantId: string) {
  const d1 = await tenantD1(tenantId);
  return (await d1.prepare("SELECT scim_id, hub_id, how, kept_until FROM hub_owned WHERE tenant_id = ? AND kind = 'user'").bind(tenantId).all<Json>()).results;
}

const hubCreates = async (hub: { calls: () => Promise<{ byRoute: Record<string, number> }> }) => {
  const { byRoute } = await hub.calls();
  return (byRoute["POST /v1/users/batch"] ?? 0) + (byRoute["POST /v1/users"] ?? 0);
};

describe("device hub sync: kept hub accounts (grace period)", () => {
  it("by default a SCIM delete deactivates the hub account, keeps it 30 days, then deletes it", async () => {
    const { t, hub } = await withGrace(undefined);
    expect((await hubJson(`/tenants/${t.id}/device-hub`)).deletedUserGraceDays).toBe(30);
    const s = scim(t);
    const u = await s.createUser();
    await runSync(t.id);
    const hubId = (await hubView(hub)).users.get(u.id)!.id as string;

    expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ id: hubId, active: false, userName: u.userName });
    const [row] = await ledger(t.id);
    expect(row).toMatchObject({ scim_id: u.id, hub_id: hubId });
    const keptFor = Date.parse(row!.kept_until as string) - Date.now();
    expect(keptFor).toBeGreaterThan(29 * DAY);
    expect(keptFor).toBeLessThanOrEqual(30 * DAY + MIN);
    const log = await hubJson(`/tenants/${t.id}/provisioning/logs`);
    expect(log.entries.find((e: Json) => e.scimId === u.id && e.action === "user.deactivate")).toMatchObject({ result: "ok" });

    // Still kept the day before the end; a sweep does not delete it either.
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    await syncUntilIdle(t.id, { clock: later(29 * DAY) });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ id: hubId, active: false });
    // The drift report does not call a kept account a difference.
    const { report } = await hubJson(`/tenants/${t.id}/provisioning/drift?wait=true`, { method: "POST" });
    expect(report.differences).toBe(0);
    expect(report.kept).toBe(1);

    await runSync(t.id, { clock: later(30 * DAY + 2 * MIN) });
    expect((await hubView(hub)).raw.users).toHaveLength(0);
    expect(await ledger(t.id)).toEqual([]);
  });

  it("a re-create of the same userName within the grace period relinks and reactivates the kept account: no hub create", async () => {
    const { t, hub } = await withGrace(30);
    const s = scim(t);
    const u = await s.createUser({ displayName: "Old Name" });
    await runSync(t.id);
    const hubId = (await hubView(hub)).users.get(u.id)!.id as string;
    expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ active: false });

    // The userName is ours in the hub: SCIM does not refuse the re-create (any case).
    await hub.resetCalls();
    const again = await s.createUser({ userName: u.userName.toUpperCase(), displayName: "New Name" });
    await runSync(t.id, { clock: later(2 * MIN) });
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(1);
    expect(view.users.get(again.id)).toMatchObject({ id: hubId, active: true, displayName: "New Name", userName: u.userName.toUpperCase() });
    expect(await hubCreates(hub)).toBe(0);
    expect(await ledger(t.id)).toEqual([expect.objectContaining({ scim_id: again.id, hub_id: hubId, how: "created", kept_until: null })]);
    const log = await hubJson(`/tenants/${t.id}/provisioning/logs`);
    expect(log.entries.find((e: Json) => e.scimId === again.id)).toMatchObject({ action: "user.relink", hubId, result: "ok" });

    // The relinked account is the new user's for good: the old grace period no longer applies.
    await syncUntilIdle(t.id, { clock: later(31 * DAY) });
    expect((await hubView(hub)).users.get(again.id)).toMatchObject({ id: hubId, active: true });
  });

  it("a delete and re-create that reach the sync together relink too; a rename or another userName never relinks", async () => {
    const { t, hub } = await withGrace(30);
    const s = scim(t);
    const [a, b, c] = [await s.createUser(), await s.createUser(), await s.createUser()];
    await runSync(t.id);
    const before = await hubView(hub);
    const hubIdA = before.users.get(a.id)!.id as string;
    const hubIdB = before.users.get(b.id)!.id as string;
    const hubIdC = before.users.get(c.id)!.id as string;

    // a: deleted and re-created (Entra's delete-then-recreate) before the sync runs.
    expect((await s.delete(`/Users/${a.id}`)).status).toBe(204);
    const a2 = await s.createUser({ userName: a.userName });
    // b: deleted; and a new user with a name nobody held.
    expect((await s.delete(`/Users/${b.id}`)).status).toBe(204);
    await hub.resetCalls();
    const fresh = await s.createUser();
    await syncUntilIdle(t.id, { clock: later(MIN) });
    let view = await hubView(hub);
    expect(view.users.get(a2.id)).toMatchObject({ id: hubIdA, active: true });
    expect(view.users.has(a.id)).toBe(false);
    expect(view.users.get(b.id)).toMatchObject({ id: hubIdB, active: false });
    expect(view.users.get(fresh.id)).toMatchObject({ active: true });
    expect(await hubCreates(hub)).toBe(1);

    // c is renamed to b's kept name: c keeps its own hub account; b's kept account makes way
    // (deleted, its grace ended early) instead of being handed to c.
    const renamed = await s.patch(`/Users/${c.id}`, patchOp({ op: "replace", path: "userName", value: b.userName }));
    expect(renamed.status).toBe(200);
    for (let i = 2; i <= 8; i++) await syncUntilIdle(t.id, { clock: later(i * 2 * MIN) });
    view = await hubView(hub);
    expect(view.users.get(c.id)).toMatchObject({ id: hubIdC, active: true, userName: b.userName });
    expect(view.raw.users.some((u) => u.id === hubIdB)).toBe(false);
    expect(await ledger(t.id)).toHaveLength(3);
  });

  it("with deletedUserGraceDays 0 a SCIM delete deletes the hub account at once, as before", async () => {
    const { t, hub } = await withGrace(0);
    const s = scim(t);
    const u = await s.createUser();
    await runSync(t.id);
    expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubView(hub)).raw.users).toHaveLength(0);
    // The re-create is a new account.
    const again = await s.createUser({ userName: u.userName });
    await runSync(t.id, { clock: later(2 * MIN) });
    expect((await hubView(hub)).users.get(again.id)).toMatchObject({ active: true });
  });

  it("the setting is bounded (0–365) and changed with PATCH …/device-hub", async () => {
    const { t } = await withGrace(30);
    for (const v of [-1, 366, 1.5, "7"]) {
      const res = await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PATCH", body: { deletedUserGraceDays: v } });
      expect(res.status).toBe(400);
    }
    expect((await hubJson(`/tenants/${t.id}/device-hub`, { method: "PATCH", body: { deletedUserGraceDays: 7 } })).deletedUserGraceDays).toBe(7);
    expect((await hubJson(`/tenants/${t.id}/device-hub`)).deletedUserGraceDays).toBe(7);
  });

  it("grace-period deletions falling due together are held by the mass-delete guard until confirmed", async () => {
    const { t, hub } = await withGrace(30);
    const users = await seedUsers(t.id, 70);
    await syncUntilIdle(t.id);
    const s = scim(t);
    for (const u of users.slice(0, 21)) expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    // The deactivations are weighed like deletions: held, then confirmed.
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).deletions).toMatchObject({ state: "awaitingConfirmation", users: 21 });
    await hubJson(`/tenants/${t.id}/provisioning/confirm-deletions`, { method: "POST" });
    await runSync(t.id, { clock: later(2 * MIN) });
    let view = await hubView(hub);
    expect(view.raw.users).toHaveLength(70);
    expect(view.raw.users.filter((u) => u.active === false)).toHaveLength(21);

    // The grace period ends for all 21 at once (the ledger's date moved back: the admin API and the
    // run then agree on the time, which a confirmation needs).
    const d1 = await tenantD1(t.id);
    await d1.prepare("UPDATE hub_owned SET kept_until = ? WHERE tenant_id = ? AND kept_until IS NOT NULL").bind(new Date(Date.now() - MIN).toISOString(), t.id).run();
    await runSync(t.id, { clock: later(3 * MIN) });
    expect((await hubView(hub)).raw.users).toHaveLength(70);
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).deletions).toMatchObject({ state: "awaitingConfirmation", users: 21 });
    await hubJson(`/tenants/${t.id}/provisioning/confirm-deletions`, { method: "POST" });
    await runSync(t.id, { clock: later(4 * MIN) });
    view = await hubView(hub);
    expect(view.raw.users).toHaveLength(49);
    expect(view.raw.users.every((u) => u.active === true)).toBe(true);
  });

  it("an adopted account follows the same rules; a foreign account is never touched", async () => {
    const { t, hub } = await withGrace(30);
    await hubJson(`/tenants/${t.id}/provisioning/policy`, { method: "PATCH", body: { hubConflict: "adopt" } });
    const name = `self-${t.id.slice(0, 8)}@example.com`;
    const held = (await hub.api("POST", "/v1/users", { userName: name, displayName: "Self registered" })).body!;
    const other = (await hub.api("POST", "/v1/users", { userName: `hr-${t.id.slice(0, 8)}@hr.example`, externalRef: "hr-import-1", active: false })).body!;
    const s = scim(t);
    const u = await s.createUser({ userName: name });
    await syncUntilIdle(t.id);
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ id: held.id, active: true });
    expect((await ledger(t.id))[0]).toMatchObject({ how: "adopted", hub_id: held.id });

    expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ id: held.id, active: false });
    const again = await s.createUser({ userName: name });
    await runSync(t.id, { clock: later(2 * MIN) });
    expect((await hubView(hub)).users.get(again.id)).toMatchObject({ id: held.id, active: true });
    expect((await ledger(t.id))[0]).toMatchObject({ scim_id: again.id, how: "adopted", hub_id: held.id, kept_until: null });

    expect((await s.delete(`/Users/${again.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(3 * MIN) });
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    await syncUntilIdle(t.id, { clock: later(31 * DAY) });
    const view = await hubView(hub);
    expect(view.users.has(again.id)).toBe(false);
    expect(view.raw.users).toEqual([other]);
  });

  it("a kept account reactivated in the hub during its grace period is left in place at its end, and no longer ours", async () => {
    const { t, hub } = await withGrace(30);
    const s = scim(t);
    const u = await s.createUser();
    await runSync(t.id);
    const hubId = (await hubView(hub)).users.get(u.id)!.id as string;
    expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(MIN) });
    // A hub admin takes the account over; the next sweep sees it active.
    expect((await hub.api("PATCH", `/v1/users/${hubId}`, { active: true })).status).toBe(200);
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    await syncUntilIdle(t.id, { clock: later(2 * MIN) });
    await syncUntilIdle(t.id, { clock: later(31 * DAY) });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ id: hubId, active: true });
    expect(await ledger(t.id)).toEqual([]);
    const log = await hubJson(`/tenants/${t.id}/provisioning/logs`);
    expect(log.entries.find((e: Json) => e.scimId === u.id && e.action === "user.delete")).toMatchObject({ result: "foreign" });
  });

  it("keeps and relinks an account whose create answer was lost (the ledger's claim learns its hub id)", async () => {
    const { t, hub } = await withGrace(30);
    const s = scim(t);
    await hub.fault({ kind: "drop", method: "POST", pathPrefix: "/v1/users", count: 1 });
    const u = await s.createUser();
    await runSync(t.id);
    const hubId = (await hubView(hub)).users.get(u.id)!.id as string;
    expect(await ledger(t.id)).toEqual([expect.objectContaining({ scim_id: u.id, hub_id: null })]);
    // Deleted before the create was retried; a sweep maps the hub user by the claim.
    expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    await syncUntilIdle(t.id, { clock: later(2 * MIN) });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ id: hubId, active: false });
    expect(await ledger(t.id)).toEqual([expect.objectContaining({ scim_id: u.id, hub_id: hubId, kept_until: expect.any(String) })]);

    await hub.resetCalls();
    const again = await s.createUser({ userName: u.userName });
    await syncUntilIdle(t.id, { clock: later(4 * MIN) });
    expect((await hubView(hub)).users.get(again.id)).toMatchObject({ id: hubId, active: true });
    expect(await hubCreates(hub)).toBe(0);
  });
});
