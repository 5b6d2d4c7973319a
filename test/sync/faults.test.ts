// Hub faults during cycles: 5xx, 429 + Retry-After, timeouts, responses lost after the change was
// applied (idempotent replay, no duplicates), 401, and parking of operations that keep failing.
import { describe, expect, it } from "vitest";
import { tenantWithOneFailingUpdate } from "../support/failing-user";
import { patchOp, scim } from "../support/scim";
import { hubJson, hubView, later, provisionedTenant, runSync } from "../support/run-cron";

const MIN = 60_000;

describe("device hub sync: faults", () => {
  it("5xx: the hub looks down, the cycle pauses and the next run creates everything once", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const users = [await s.createUser(), await s.createUser(), await s.createUser()];
    await s.createGroup({ members: users.map((u) => ({ value: u.id })) });
    // The initial sweep's first read fails three times: the hub is down for this invocation.
    await hub.fault({ kind: "error", status: 503, count: 1, method: "GET", pathPrefix: "/v1/users" });
    const first = await runSync(t.id);
    expect(first.tenants[0]).toMatchObject({ outcome: "paused", stop: "hubUnavailable", kind: "initial" });
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status).toMatchObject({ activity: "paused", currentCycle: { kind: "initial" } });
    expect(status.lastError).toMatch(/503/);
    expect((await runSync(t.id, { clock: later(5 * MIN) })).tenants[0]).toMatchObject({ outcome: "finished", kind: "initial" });
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(3);
    expect(view.raw.members).toHaveLength(3);
  });

  it("429: honours Retry-After — no hub call before it, resumes after it", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const u = await s.createUser();
    await hub.fault({ kind: "rateLimit", retryAfterSeconds: 120, method: "POST", pathPrefix: "/v1/users" });
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "paused", stop: "rateLimited" });
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(Date.parse(status.hubBlockedUntil) - Date.now()).toBeGreaterThan(100_000);
    expect(status.lastError).toMatch(/rate limited/);
    await hub.resetCalls();
    const blocked = await runSync(t.id, { clock: later(1 * MIN) });
    expect(blocked.tenants[0]).toMatchObject({ outcome: "paused", stop: "rateLimited" });
    expect(blocked.hubCalls).toBe(0);
    expect((await hub.calls()).total).toBe(0);
    expect((await runSync(t.id, { clock: later(3 * MIN) })).tenants[0]).toMatchObject({ outcome: "finished" });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ userName: u.userName });
  });

  it("timeout: a slow hub that applied the change is replayed idempotently (no duplicate group)", async () => {
    const { t, hub } = await provisionedTenant({ timeoutMs: 200 });
    const s = scim(t);
    const u = await s.createUser();
    const g = await s.createGroup({ members: [{ value: u.id }] });
    await runSync(t.id);
    const g2 = await s.createGroup();
    await hub.fault({ kind: "timeout", delayMs: 1000, apply: true, method: "POST", pathPrefix: "/v1/groups" });
    const r = await runSync(t.id);
    expect(r.tenants[0]).toMatchObject({ outcome: "finished" });
    const log = await hubJson(`/tenants/${t.id}/provisioning/logs?limit=1`);
    expect(log.entries[0]).toMatchObject({ action: "group.create", scimId: g2.id, result: "failed" });
    expect(log.entries[0].error).toMatch(/^timeout/);
    await runSync(t.id, { clock: later(5 * MIN) });
    const view = await hubView(hub);
    expect(view.raw.groups.map((x) => x.externalRef).sort()).toEqual([g.id, g2.id].sort());
    const replay = await hubJson(`/tenants/${t.id}/provisioning/logs?limit=1`);
    expect(replay.entries[0]).toMatchObject({ action: "group.create", scimId: g2.id, result: "exists" });
  });

  it("drop: responses lost after the hub applied user creates and member adds are replayed without duplicates", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const users = [await s.createUser(), await s.createUser()];
    await hub.fault({ kind: "drop", method: "POST", pathPrefix: "/v1/users/batch" });
    await runSync(t.id);
    expect((await hubView(hub)).raw.users).toHaveLength(2);
    const g = await s.createGroup({ members: users.map((u) => ({ value: u.id })) });
    await runSync(t.id, { clock: later(5 * MIN) });
    await s.patch(`/Groups/${g.id}`, patchOp({ op: "remove", path: `members[value eq "${users[0]!.id}"]` }));
    await hub.fault({ kind: "drop", method: "POST", pathPrefix: "/v1/groups/" });
    await runSync(t.id, { clock: later(10 * MIN) });
    await runSync(t.id, { clock: later(15 * MIN) });
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(2);
    expect(view.raw.groups).toHaveLength(1);
    expect(view.members[g.id]).toEqual([users[1]!.id]);
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.queue).toEqual({ queued: 0, pending: 0, parked: 0 });
  });

  it("401: stops the tenant's cycle and surfaces the error", async () => {
    const { t, hub } = await provisionedTenant();
    await scim(t).createUser();
    await hub.fault({ kind: "error", status: 401 });
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "paused", stop: "unauthorized" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).lastError).toMatch(/unauthorized 401/);
  });

  it("parks an operation after 5 failed attempts without blocking the rest; admins can retry it", async () => {
    const { t, hub, a, b } = await tenantWithOneFailingUpdate();
    for (let hour = 0; hour < 5; hour++) {
      expect((await runSync(t.id, { clock: later(hour * 60 * MIN) })).tenants[0]).toMatchObject({ outcome: "finished" });
      if (hour === 0) expect((await hubView(hub)).users.get(b.id)).toMatchObject({ displayName: "B2" });
    }
    const parked = await hubJson(`/tenants/${t.id}/provisioning/parked`);
    expect(parked.items).toEqual([expect.objectContaining({ kind: "user", resourceId: a.id, attempts: 5 })]);
    expect(parked.items[0].lastError).toMatch(/server 500/);
    expect((await hubJson(`/tenants/${t.id}/provisioning/logs?limit=1`)).entries[0]).toMatchObject({ action: "user.update", scimId: a.id, result: "parked" });
    // Parked: later cycles leave it alone.
    await hub.resetCalls();
    await runSync(t.id, { clock: later(10 * 60 * MIN) });
    expect((await hub.calls()).total).toBe(0);

    await hub.clearFaults();
    expect(await hubJson(`/tenants/${t.id}/provisioning/parked/retry`, { method: "POST" })).toEqual({ retried: 1 });
    await runSync(t.id);
    expect((await hubView(hub)).users.get(a.id)).toMatchObject({ displayName: "A2" });
    expect((await hubJson(`/tenants/${t.id}/provisioning/parked`)).items).toEqual([]);
  });
});
