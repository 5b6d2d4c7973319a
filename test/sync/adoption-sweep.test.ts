// Ownership that a sweep cannot undo (issue 22, finding 1): an adoption made while a full sweep
// reads the hub's users is not turned back into a foreign name holder by the page the sweep read
// before it; the ledger, not the hub's externalRef of the moment, says what is ours; and writing
// our externalRef to an adopted hub user is the first thing the next run does, sweep or not.
import { describe, expect, it } from "vitest";
import { scim } from "../support/scim";
import { hubJson, hubView, later, provisionedTenant, runSync, syncUntilIdle } from "../support/run-cron";
import { waitFor } from "../support/wait";

const MIN = 60_000;

async function adoptingTenant() {
  const { t, hub } = await provisionedTenant({ timeoutMs: 30_000 });
  await runSync(t.id);
  await hubJson(`/tenants/${t.id}/provisioning/policy`, { method: "PATCH", body: { hubConflict: "adopt" } });
  return { t, hub };
}

describe("device hub sync: adoption during a sweep", () => {
  it("an adoption made while the sweep's user listing is in flight stays linked, through that sweep and the next", async () => {
    const { t, hub } = await adoptingTenant();
    const held = (await hub.api("POST", "/v1/users", { userName: "adopt.during.sweep@example.com", displayName: "Self registered" })).body!;
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    // The sweep's listing is answered as the hub is now (unlinked user), but only after the adoption.
    await hub.fault({ kind: "hold", method: "GET", pathPrefix: "/v1/users", count: 1 });
    const sweep = runSync(t.id, { clock: later(MIN) });
    await waitFor(async () => (await hub.held()) === 1);
    const u = await scim(t).createUser({ userName: "adopt.during.sweep@example.com", displayName: "From Entra" });
    expect(await hub.release()).toBe(1);
    expect((await sweep).tenants[0]).toMatchObject({ outcome: "finished", kind: "fullSweep" });

    let view = await hubView(hub);
    expect(view.raw.users).toHaveLength(1);
    expect(view.users.get(u.id)).toMatchObject({ id: held.id, externalRef: u.id, displayName: "From Entra" });
    let status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.queue).toEqual({ queued: 0, pending: 0, parked: 0 });

    // Another full sweep keeps it ours: linked, not foreign, and SCIM still manages it.
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    expect((await syncUntilIdle(t.id, { clock: later(2 * MIN) })).at(-1)!.tenants[0]).toMatchObject({ outcome: "finished" });
    status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.foreign).toEqual({ users: 0, groups: 0 });
    expect(status.queue).toEqual({ queued: 0, pending: 0, parked: 0 });
    expect((await scim(t).delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(3 * MIN) });
    view = await hubView(hub);
    expect(view.raw.users).toHaveLength(0);
  });

  it("an adoption of a hub user that joined the hub after the sweep's listing passed survives the sweep's stale cleanup", async () => {
    const { t, hub } = await adoptingTenant();
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    await hub.fault({ kind: "hold", method: "GET", pathPrefix: "/v1/users", count: 1 });
    const sweep = runSync(t.id, { clock: later(MIN) });
    await waitFor(async () => (await hub.held()) === 1);
    // The person self-registers after the listing was answered; SCIM then adopts the account.
    const held = (await hub.api("POST", "/v1/users", { userName: "registered.late@example.com" })).body!;
    const u = await scim(t).createUser({ userName: "registered.late@example.com" });
    expect(await hub.release()).toBe(1);
    expect((await sweep).tenants[0]).toMatchObject({ outcome: "finished", kind: "fullSweep" });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ id: held.id, externalRef: u.id });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue).toEqual({ queued: 0, pending: 0, parked: 0 });
  });

  it("a sweep that reads an adopted hub user before our externalRef reached it maps it to its SCIM user, not as foreign", async () => {
    const { t, hub } = await adoptingTenant();
    const held = (await hub.api("POST", "/v1/users", { userName: "read.unlinked@example.com" })).body!;
    const u = await scim(t).createUser({ userName: "read.unlinked@example.com" });
    // Behind our back, the hub loses the externalRef we gave (an admin edit): the ledger still says ours.
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ id: held.id });
    expect((await hub.api("PATCH", `/v1/users/${held.id}`, { externalRef: null })).status).toBe(200);
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    expect((await syncUntilIdle(t.id, { clock: later(2 * MIN) })).at(-1)!.tenants[0]).toMatchObject({ outcome: "finished" });
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(1);
    expect(view.users.get(u.id)).toMatchObject({ id: held.id, externalRef: u.id });
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.foreign).toEqual({ users: 0, groups: 0 });
    expect(status.queue).toEqual({ queued: 0, pending: 0, parked: 0 });
  });

  it("finishing an adoption is the first thing the next run does, even in the middle of a sweep", async () => {
    const { t, hub } = await adoptingTenant();
    const held = (await hub.api("POST", "/v1/users", { userName: "adopt.first@example.com" })).body!;
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    // The sweep stops at the hub's group listing (429): it is still under way when the adoption happens.
    await hub.fault({ kind: "rateLimit", retryAfterSeconds: 1, method: "GET", pathPrefix: "/v1/groups", count: 1 });
    expect((await runSync(t.id, { clock: later(MIN) })).tenants[0]).toMatchObject({ outcome: "paused", stop: "rateLimited" });
    const u = await scim(t).createUser({ userName: "adopt.first@example.com" });
    expect((await hubView(hub)).users.get(`hub:adopt.first@example.com`)).toMatchObject({ id: held.id, externalRef: null });

    // The next run stops at the same listing again, yet the adopted user already carries our externalRef.
    await hub.fault({ kind: "rateLimit", retryAfterSeconds: 1, method: "GET", pathPrefix: "/v1/groups", count: 1 });
    expect((await runSync(t.id, { clock: later(2 * MIN) })).tenants[0]).toMatchObject({ outcome: "paused", stop: "rateLimited" });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ id: held.id, externalRef: u.id });
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.currentCycle).toMatchObject({ kind: "fullSweep" });
  });
});
