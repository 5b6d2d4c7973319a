// A confirmation covers what the admin saw (issue 22, finding 5): confirm-deletions releases
// exactly the deletions held at that moment (count and identity), expires (one hour by default),
// shows in the status, and new deletions beyond the threshold are held again — also while a
// blocked sweep leaves the work to side runs.
import { describe, expect, it } from "vitest";
import { scim } from "../support/scim";
import { hubJson, hubView, later, provisionedTenant, runSync, seedUsers, syncUntilIdle } from "../support/run-cron";

const MIN = 60_000;

async function syncedTenant(n: number) {
  const { t, hub } = await provisionedTenant();
  const users = await seedUsers(t.id, n);
  await syncUntilIdle(t.id);
  expect((await hubView(hub)).raw.users).toHaveLength(n);
  return { t, hub, users, s: scim(t) };
}

const status = (tenantId: string) => hubJson(`/tenants/${tenantId}/provisioning`);

describe("device hub sync: deletion confirmations", () => {
  it("with a sweep blocked (side runs), a confirmation releases its batch only: the next batch is held again", async () => {
    const { t, hub, users, s } = await syncedTenant(100);
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    // The sweep stops at the hub's group listing on every run; incremental work goes on in side runs.
    await hub.fault({ kind: "error", status: 503, method: "GET", pathPrefix: "/v1/groups", count: 1000 });
    for (const u of users.slice(0, 30)) expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(MIN) });
    expect((await status(t.id)).deletions).toMatchObject({ state: "awaitingConfirmation", users: 30 });
    expect((await hubView(hub)).raw.users).toHaveLength(100);

    await hubJson(`/tenants/${t.id}/provisioning/confirm-deletions`, { method: "POST" });
    await runSync(t.id, { clock: later(2 * MIN) });
    expect((await hubView(hub)).raw.users).toHaveLength(70);
    expect((await status(t.id)).currentCycle).toMatchObject({ kind: "fullSweep" });

    for (const u of users.slice(30, 60)) expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(3 * MIN) });
    await runSync(t.id, { clock: later(4 * MIN) });
    expect((await hubView(hub)).raw.users).toHaveLength(70);
    expect((await status(t.id)).deletions).toMatchObject({ state: "awaitingConfirmation", users: 30, confirmed: null });
  });

  it("releases exactly the deletions held when confirmed; later ones wait; the status shows the confirmation", async () => {
    const { t, hub, users, s } = await syncedTenant(70);
    const first = users.slice(0, 21);
    const second = users.slice(21, 42);
    for (const u of first) expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(MIN) });
    expect((await status(t.id)).deletions).toMatchObject({ state: "awaitingConfirmation", users: 21 });

    const confirmed = await hubJson(`/tenants/${t.id}/provisioning/confirm-deletions`, { method: "POST" });
    expect(confirmed.deletions.confirmed).toMatchObject({ users: 21, groups: 0 });
    const expiresIn = Date.parse(confirmed.deletions.confirmed.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(50 * MIN);
    expect(expiresIn).toBeLessThanOrEqual(60 * MIN);
    // Deleted after the confirmation: not covered by it.
    for (const u of second) expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(2 * MIN) });

    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(49);
    for (const u of first) expect(view.users.has(u.id)).toBe(false);
    for (const u of second) expect(view.users.has(u.id)).toBe(true);
    const after = await status(t.id);
    expect(after.deletions).toMatchObject({ state: "awaitingConfirmation", users: 21, confirmed: null });
  });

  it("a confirmation expires (default one hour): held deletions then wait for a new one", async () => {
    const { t, hub, users, s } = await syncedTenant(50);
    for (const u of users.slice(0, 20)) expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(MIN) });
    expect((await status(t.id)).deletions).toMatchObject({ state: "awaitingConfirmation", users: 20 });
    await hubJson(`/tenants/${t.id}/provisioning/confirm-deletions`, { method: "POST" });
    // The next run comes after the hour.
    await runSync(t.id, { clock: later(61 * MIN) });
    expect((await hubView(hub)).raw.users).toHaveLength(50);
    // (The status reads the real clock: the confirmation still shows there, the run saw it expired.)
    expect((await status(t.id)).deletions).toMatchObject({ state: "awaitingConfirmation", users: 20 });
    await hubJson(`/tenants/${t.id}/provisioning/confirm-deletions`, { method: "POST", body: { expiresInMinutes: 5 } });
    await runSync(t.id, { clock: later(62 * MIN) });
    expect((await hubView(hub)).raw.users).toHaveLength(50);
    await hubJson(`/tenants/${t.id}/provisioning/confirm-deletions`, { method: "POST" });
    await runSync(t.id, { clock: later(2 * MIN) });
    expect((await hubView(hub)).raw.users).toHaveLength(30);
    expect((await status(t.id)).deletions).toMatchObject({ state: "flowing", users: 0, confirmed: null });
  });
});
