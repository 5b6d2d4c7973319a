// No item or tenant stuck for ever: a sweep blocked on one group's member list lets incremental
// changes through, is reported as stuck after several runs and backs off; a contract error is
// reported as such; a sweep re-queues items parked for a cause that is gone; "Run now" after an
// outage retries what backed off only because the hub was unavailable.
import { describe, expect, it } from "vitest";
import { scim } from "../support/scim";
import { hubJson, hubView, later, provisionedTenant, runSync, syncUntilIdle } from "../support/run-cron";

const MIN = 60_000;

describe("device hub sync: stuck sweeps", () => {
  it("a sweep blocked on one group still lets incremental changes through, then reports stuck and backs off", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const [a, b] = [await s.createUser(), await s.createUser()];
    const g = await s.createGroup({ members: [{ value: a.id }, { value: b.id }] });
    await runSync(t.id);
    const hubGroup = (await hubView(hub)).groups.get(g.id)!;
    await hub.fault({ kind: "error", status: 500, method: "GET", pathPrefix: `/v1/groups/${hubGroup.id}/members`, count: 10_000 });
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });

    const seen: string[] = [];
    for (let run = 1; run <= 3; run++) {
      const u = await s.createUser();
      seen.push(u.id);
      const report = await runSync(t.id, { clock: later(run * MIN) });
      expect(report.tenants[0]).toMatchObject({ outcome: "paused", stop: "hubUnavailable", kind: "fullSweep" });
      // The sweep did not advance, but the new user reached the hub in the same run.
      expect((await hubView(hub)).users.get(u.id)).toMatchObject({ userName: u.userName });
    }
    let status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.stuck).toMatchObject({ runs: 3, reason: expect.stringContaining("listing group members failed") });
    expect(status.currentCycle.progress.phase).toBe("hubMembers");
    expect(status.lastError).toMatch(/members/);

    // Backing off: the next run does not read the blocked group again, yet changes still flow.
    await hub.resetCalls();
    const u4 = await s.createUser();
    await runSync(t.id, { clock: later(4 * MIN) });
    expect((await hub.calls()).byRoute["GET /v1/groups/:id/members"]).toBeUndefined();
    expect((await hubView(hub)).users.get(u4.id)).toBeDefined();

    await hub.clearFaults();
    const runs = await syncUntilIdle(t.id, { clock: later(2 * 60 * MIN) });
    expect(runs.at(-1)!.tenants[0]).toMatchObject({ outcome: "finished", kind: "fullSweep" });
    status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status).toMatchObject({ stuck: null, lastError: null, queue: { queued: 0, pending: 0, parked: 0 } });
    expect((await hubView(hub)).raw.users).toHaveLength(6);
  });

  it("reports a hub contract error in a sweep as what it is", async () => {
    const { t, hub } = await provisionedTenant();
    await hub.fault({ kind: "error", status: 400, code: "limit_too_high", method: "GET", pathPrefix: "/v1/users", count: 1 });
    const report = await runSync(t.id);
    expect(report.tenants[0]).toMatchObject({ outcome: "paused", stop: "hubContract" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).lastError).toMatch(/contract.*400.*limit_too_high/);
  });
});

describe("device hub sync: lastError", () => {
  it("is kept through a budget pause and cleared by the next finished cycle", async () => {
    const { t, hub } = await provisionedTenant();
    await scim(t).createUser();
    await hub.fault({ kind: "error", status: 401, count: 1 });
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "paused", stop: "unauthorized" });
    const error = (await hubJson(`/tenants/${t.id}/provisioning`)).lastError;
    expect(error).toMatch(/401/);
    // A tiny D1 budget: the run pauses for budget reasons only; the error stays visible.
    expect((await runSync(t.id, { maxD1Calls: 34 })).tenants[0]).toMatchObject({ outcome: "paused", stop: "budget" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).lastError).toBe(error);
    expect((await syncUntilIdle(t.id)).at(-1)!.tenants[0]).toMatchObject({ outcome: "finished" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).lastError).toBeNull();
  });
});

describe("device hub sync: nothing parked for ever", () => {
  it("a sweep re-queues a user parked for a taken name once the hub frees the name", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    const u = await scim(t).createUser({ userName: "wanted@example.com" });
    const holder = (await hub.api("POST", "/v1/users", { userName: "wanted@example.com" })).body!;
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue.parked).toBe(1);
    await hub.api("DELETE", `/v1/users/${holder.id}`);
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    await syncUntilIdle(t.id, { clock: later(2 * MIN) });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ userName: "wanted@example.com" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue).toEqual({ queued: 0, pending: 0, parked: 0 });
  });

  it("Run now after an outage retries items that backed off only because the hub was unavailable", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    const u = await scim(t).createUser();
    await hub.fault({ kind: "error", status: 503, method: "POST", pathPrefix: "/v1/users", count: 1 });
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubView(hub)).users.has(u.id)).toBe(false);
    // No clock games: the back-off (60 s) has not passed, yet Run now retries it.
    const { run } = await hubJson(`/tenants/${t.id}/provisioning/run?wait=true`, { method: "POST" });
    expect(run).toMatchObject({ outcome: "finished" });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ userName: u.userName });
  });
});
