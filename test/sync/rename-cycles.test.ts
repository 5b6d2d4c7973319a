// Renames that cannot deadlock (issue 22, finding 2): a swap or a rotation of userNames among our
// own users is broken with a temporary hub name, in an order that never asks the hub for a name it
// still holds; and a contested userName never blocks the user's other fields (active=false).
import { describe, expect, it } from "vitest";
import { badEmailCharacters } from "../../src/scim/hub-naming-rules";
import { patchOp, scim } from "../support/scim";
import { hubJson, hubView, later, provisionedTenant, runSync, syncUntilIdle } from "../support/run-cron";
import { tenantD1 } from "../support/shard";

const MIN = 60_000;
const rename = (userName: string) => patchOp({ op: "replace", path: "userName", value: userName });

describe("device hub sync: rename cycles", () => {
  it("a swap of two userNames (A→tmp, B→A, tmp→B) converges in one run, through a full sweep, and a later active=false reaches the hub", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const u1 = await s.createUser({ userName: "swap.a@example.com" });
    const u2 = await s.createUser({ userName: "swap.b@example.com" });
    await runSync(t.id);
    await hubJson(`/tenants/${t.id}/provisioning/stop`, { method: "POST" });
    for (const [u, name] of [[u1, "swap.tmp@example.com"], [u2, "swap.a@example.com"], [u1, "swap.b@example.com"]] as const) {
      const res = await s.patch(`/Users/${u.id}`, rename(name));
      expect(res.status, await res.clone().text()).toBe(200);
    }
    await hubJson(`/tenants/${t.id}/provisioning/start`, { method: "POST" });
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    expect((await syncUntilIdle(t.id, { clock: later(MIN) })).at(-1)!.tenants[0]).toMatchObject({ outcome: "finished" });

    let view = await hubView(hub);
    expect(view.raw.users).toHaveLength(2);
    expect(view.users.get(u1.id)).toMatchObject({ userName: "swap.b@example.com" });
    expect(view.users.get(u2.id)).toMatchObject({ userName: "swap.a@example.com" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue).toEqual({ queued: 0, pending: 0, parked: 0 });
    // The temporary name the swap went through satisfies the hub's naming rules for an email address.
    const logs = (await hubJson(`/tenants/${t.id}/provisioning/logs?limit=50`)).entries as { action: string; error: string | null }[];
    const temp = logs.find((e) => e.action === "user.renameTemporary");
    expect(temp, JSON.stringify(logs)).toBeDefined();

    expect((await s.patch(`/Users/${u1.id}`, patchOp({ op: "replace", path: "active", value: false }))).status).toBe(200);
    await runSync(t.id, { clock: later(2 * MIN) });
    view = await hubView(hub);
    expect(view.users.get(u1.id)).toMatchObject({ userName: "swap.b@example.com", active: false });
  });

  it("a three-way rotation converges in one run", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const names = ["rot.a@example.com", "rot.b@example.com", "rot.c@example.com"];
    const users = [];
    for (const userName of names) users.push(await s.createUser({ userName }));
    await runSync(t.id);
    // A→tmp, C→A, B→C, A(tmp)→B: every target is held in the hub by another of the three.
    expect((await s.patch(`/Users/${users[0]!.id}`, rename("rot.tmp@example.com"))).status).toBe(200);
    expect((await s.patch(`/Users/${users[2]!.id}`, rename(names[0]!))).status).toBe(200);
    expect((await s.patch(`/Users/${users[1]!.id}`, rename(names[2]!))).status).toBe(200);
    expect((await s.patch(`/Users/${users[0]!.id}`, rename(names[1]!))).status).toBe(200);
    expect((await runSync(t.id, { clock: later(MIN) })).tenants[0]).toMatchObject({ outcome: "finished" });
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(3);
    expect(view.users.get(users[0]!.id)).toMatchObject({ userName: names[1] });
    expect(view.users.get(users[1]!.id)).toMatchObject({ userName: names[2] });
    expect(view.users.get(users[2]!.id)).toMatchObject({ userName: names[0] });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue).toEqual({ queued: 0, pending: 0, parked: 0 });
    for (const u of view.raw.users) expect(badEmailCharacters(u.userName as string)).toEqual([]);
  });

  it("a swap whose two renames fall due at different times (one backed off by a hub error) meets in one run instead of taking turns until both park", async () => {
    // Soak seed 5: one user's PATCH failed (a timeout), so the two halves of the swap backed off on
    // different clocks; each failure made the other due now, so each run had one of them alone,
    // never both, and both parked after five attempts with 409 user_name_taken.
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const u1 = await s.createUser({ userName: "turns.a@example.com" });
    const u2 = await s.createUser({ userName: "turns.b@example.com" });
    await runSync(t.id);
    const view0 = await hubView(hub);
    for (const [u, name] of [[u1, "turns.tmp@example.com"], [u2, "turns.a@example.com"], [u1, "turns.b@example.com"]] as const) {
      expect((await s.patch(`/Users/${u.id}`, rename(name))).status).toBe(200);
    }
    // Both PATCHes fail once (both back off); then u2 falls due while u1 still backs off, as a
    // run cut short by a hub timeout left them in the soak.
    for (const u of [u1, u2]) await hub.fault({ kind: "error", status: 500, method: "PATCH", pathPrefix: `/v1/users/${view0.users.get(u.id)!.id}`, count: 1 });
    await runSync(t.id, { clock: later(0) });
    const db = await tenantD1(t.id);
    await db.prepare("UPDATE sync_work SET next_at = ? WHERE tenant_id = ? AND kind = 'user' AND resource_id = ?").bind(new Date().toISOString(), t.id, u2.id).run();
    // Runs half a minute apart (the queue's hand-ons and the cron make them closer still), for an hour.
    for (let k = 1; k <= 120; k++) await runSync(t.id, { clock: later((k * MIN) / 2) });
    const view = await hubView(hub);
    expect(view.users.get(u1.id)).toMatchObject({ userName: "turns.b@example.com" });
    expect(view.users.get(u2.id)).toMatchObject({ userName: "turns.a@example.com" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue).toEqual({ queued: 0, pending: 0, parked: 0 });
  });

  it("a userName a hub account took meanwhile blocks only the rename: active=false and names still reach the hub", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const u = await s.createUser({ userName: "before@example.com" });
    await runSync(t.id);
    expect((await s.patch(`/Users/${u.id}`, rename("contested@example.com"))).status).toBe(200);
    // A person self-registers with that name before the rename reaches the hub.
    await hub.api("POST", "/v1/users", { userName: "contested@example.com" });
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue.parked).toBe(1);

    expect((await s.patch(`/Users/${u.id}`, patchOp(
      { op: "replace", path: "active", value: false },
      { op: "replace", path: "name.givenName", value: "Changed" },
    ))).status).toBe(200);
    await runSync(t.id, { clock: later(2 * MIN) });
    const hubUser = (await hubView(hub)).users.get(u.id);
    expect(hubUser).toMatchObject({ userName: "before@example.com", active: false, givenName: "Changed" });
    const parked = await hubJson(`/tenants/${t.id}/provisioning/parked`);
    expect(parked.items).toHaveLength(1);
    expect(parked.items[0].lastError).toMatch(/user_name_taken/);
  });
});
