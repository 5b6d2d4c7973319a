// Sweeps that scale with the hub, not with one invocation: a group whose member listing outlasts
// a run is read in slices (a per-group member cursor, each page saved before the next), so the
// sweep finishes across invocations; a sweep that backed off is retried at once by "Run now" and
// "full sweep", and the status says when it would retry on its own.
import { describe, expect, it } from "vitest";
import { scim } from "../support/scim";
import { hubJson, hubView, later, provisionedTenant, runSync, seedUsers, syncUntilIdle, type Json } from "../support/run-cron";

const MIN = 60_000;
const MEMBERS = 40;
/** The emulator answers 5 per page: 8 member pages, each held 1 s, against a 4 s run budget. */
const PAGE = 5;
const PAGE_LATENCY_MS = 1000;
const BUDGET_MS = 4000;

describe("device hub sync: a group larger than one invocation", () => {
  it("is swept in slices across invocations, each page saved before the next", async () => {
    const { t, hub } = await provisionedTenant();
    const users = await seedUsers(t.id, MEMBERS, "big");
    const g = await scim(t).createGroup({ displayName: "All staff", members: users.map((u) => ({ value: u.id })) });
    await syncUntilIdle(t.id);
    const before = await hubView(hub);
    expect(before.members[g.id]).toHaveLength(MEMBERS);
    const hubGroupId = before.groups.get(g.id)!.id as string;
    // Drift a sweep must find: a member removed in the hub behind our back.
    const dropped = before.users.get(users[0]!.id)!.id as string;
    await hub.api("POST", `/v1/groups/${hubGroupId}/members/remove`, { userIds: [dropped] });

    await hub.paging(PAGE);
    await hub.fault({ kind: "timeout", delayMs: PAGE_LATENCY_MS, apply: true, method: "GET", pathPrefix: `/v1/groups/${hubGroupId}/members`, count: 10_000 });
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    await hub.resetCalls();

    const reports = [];
    for (let run = 1; run <= 20; run++) {
      const report = await runSync(t.id, { budgetMs: BUDGET_MS, clock: later(run * MIN) });
      reports.push(report.tenants[0]!);
      if (report.tenants[0]!.outcome === "finished") break;
      // The run's own deadline is no hub failure: paused for the budget, never "hub unavailable".
      expect(report.tenants[0]).toMatchObject({ outcome: "paused", stop: "budget" });
    }
    expect(reports.at(-1)).toMatchObject({ outcome: "finished", kind: "fullSweep" });
    // It took several invocations: the member listing did not fit into one.
    expect(reports.length).toBeGreaterThan(1);
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status).toMatchObject({ stuck: null, lastError: null, lastCycle: { kind: "fullSweep" } });
    expect(status.lastCycle.invocations).toBe(reports.length);
    // Each run went on from its saved page: at most one page per run was read twice (the one a
    // deadline cut), never the listing from page 1 again.
    const pages = Math.ceil((MEMBERS - 1) / PAGE);
    expect((await hub.calls()).byRoute["GET /v1/groups/:id/members"]).toBeLessThanOrEqual(pages + reports.length);
    // The drift the listing found is repaired.
    expect((await hubView(hub)).members[g.id]).toHaveLength(MEMBERS);
  }, 180_000);
});

describe("device hub sync: a backed-off sweep", () => {
  async function backedOffSweep() {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const a = await s.createUser();
    const g = await s.createGroup({ members: [{ value: a.id }] });
    await runSync(t.id);
    const hubGroup = (await hubView(hub)).groups.get(g.id)!;
    await hub.fault({ kind: "error", status: 500, method: "GET", pathPrefix: `/v1/groups/${hubGroup.id}/members`, count: 10_000 });
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    for (let run = 1; run <= 3; run++) await runSync(t.id, { clock: later(run * MIN) });
    const status: Json = await hubJson(`/tenants/${t.id}/provisioning`);
    // The status says when the sweep retries on its own.
    expect(status.stuck).toMatchObject({ runs: 3, retryAt: expect.any(String) });
    expect(Date.parse(status.stuck.retryAt)).toBeGreaterThan(Date.now());
    await hub.clearFaults();
    return { t, hub };
  }

  it("is retried at once by Run now", async () => {
    const { t } = await backedOffSweep();
    const { run, status } = await hubJson(`/tenants/${t.id}/provisioning/run?wait=true`, { method: "POST" });
    expect(run).toMatchObject({ outcome: "finished", kind: "fullSweep" });
    expect(status).toMatchObject({ stuck: null, lastError: null });
  });

  it("is retried at once by a full-sweep request", async () => {
    const { t } = await backedOffSweep();
    const requested = await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    expect(requested.stuck?.retryAt ?? null).toBeNull();
    // No clock games: the back-off has not run out, yet the next run sweeps.
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "finished", kind: "fullSweep" });
  });
});
