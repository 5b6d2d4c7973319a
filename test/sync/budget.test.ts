// Invocation limits: the lease (overlapping runs → one works), checkpoint/resume under a tiny
// budget, call budgets of an incremental cycle (O(changes): same calls at 10× the size), and
// ≤ 6 hub calls in flight.
import { describe, expect, it } from "vitest";
import { patchOp, scim } from "../support/scim";
import { hubJson, hubView, provisionedTenant, runSync, syncUntilIdle } from "../support/run-cron";
import type { TestTenant } from "../support/tenant";

async function directory(t: TestTenant, users: number, groups: number) {
  const s = scim(t);
  const created = [];
  for (let i = 0; i < users; i++) created.push(await s.createUser());
  const gs = [];
  for (let i = 0; i < groups; i++) gs.push(await s.createGroup({ members: created.filter((_, k) => k % groups === i).map((u) => ({ value: u.id })) }));
  return { users: created, groups: gs };
}

async function expectHubMatches(hub: Awaited<ReturnType<typeof provisionedTenant>>["hub"], dir: Awaited<ReturnType<typeof directory>>, groups: number) {
  const view = await hubView(hub);
  expect(view.raw.users).toHaveLength(dir.users.length);
  expect(view.raw.groups).toHaveLength(dir.groups.length);
  dir.groups.forEach((g, i) => {
    const want = dir.users.filter((_, k) => k % groups === i).map((u) => u.id).sort();
    expect(view.members[g.id] ?? []).toEqual(want);
  });
}

describe("device hub sync: lease", () => {
  it("two overlapping runs for one tenant: exactly one works, nothing is duplicated", async () => {
    const { t, hub } = await provisionedTenant();
    const dir = await directory(t, 12, 3);
    const [r1, r2] = await Promise.all([runSync(t.id), runSync(t.id)]);
    const outcomes = [r1.tenants[0]!.outcome, r2.tenants[0]!.outcome].sort();
    expect(outcomes).toEqual(["busy", "finished"]);
    await expectHubMatches(hub, dir, 3);
  });
});

describe("device hub sync: progress per phase", () => {
  it("counts the items each phase handled, and what is still queued for the running one", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    const s = scim(t);
    for (let i = 0; i < 3; i++) await s.createUser();
    await s.createGroup();
    await hub.fault({ kind: "error", status: 401, method: "POST", pathPrefix: "/v1/groups", count: 1 });
    expect((await runSync(t.id, { clock: () => new Date(Date.now() + 60_000) })).tenants[0]).toMatchObject({ outcome: "paused", stop: "unauthorized" });
    const progress = (await hubJson(`/tenants/${t.id}/provisioning`)).currentCycle.progress;
    expect(progress).toMatchObject({ phase: "groups", done: 2, total: 4 });
    expect(progress.phases.find((p: { phase: string }) => p.phase === "users")).toEqual({ phase: "users", done: 3, total: 3 });
    expect(progress.phases.find((p: { phase: string }) => p.phase === "members")).toEqual({ phase: "members", done: 0, total: 0 });
  });
});

describe("device hub sync: checkpoint and resume", () => {
  it("a tiny D1 budget spreads the initial cycle over several invocations that resume where they stopped", async () => {
    const { t, hub } = await provisionedTenant();
    const dir = await directory(t, 30, 4);
    const maxD1Calls = 45;
    const first = await runSync(t.id, { maxD1Calls });
    expect(first.tenants[0]).toMatchObject({ outcome: "paused", stop: "budget", kind: "initial" });
    const mid = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(mid).toMatchObject({ activity: "paused", currentCycle: { kind: "initial", invocations: 1 } });
    expect(mid.currentCycle.progress.done).toBeGreaterThan(0);
    expect(mid.currentCycle.progress.total).toBe(13);
    // Per phase, in items: phases behind the current one are complete; later work phases show what is queued.
    const phases = mid.currentCycle.progress.phases as { phase: string; done: number; total: number }[];
    expect(phases.map((p) => p.phase)).toEqual([
      "sweepStart", "hubUsers", "hubUsersStale", "scimUsers", "hubGroups", "hubGroupsStale", "scimGroups", "hubMembers", "membersAll",
      "ingest", "users", "groups", "members",
    ]);
    for (const p of phases) expect(p.total).toBeGreaterThanOrEqual(p.done);
    const rest = await syncUntilIdle(t.id, { maxD1Calls }, 40);
    const all = [first, ...rest];
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const r of all) expect(r.d1Calls).toBeLessThanOrEqual(maxD1Calls);
    expect(all.at(-1)!.tenants[0]).toMatchObject({ outcome: "finished", kind: "initial" });
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.lastCycle).toMatchObject({ kind: "initial", invocations: all.length });
    expect(status.lastCycle.counts).toMatchObject({ usersCreated: 30, groupsCreated: 4, membersAdded: 30 });
    await expectHubMatches(hub, dir, 4);
  }, 30_000);
});

describe("device hub sync: call budgets", () => {
  async function tenChanges(size: number) {
    const { t, hub } = await provisionedTenant();
    const dir = await directory(t, size, 2);
    const initial = await syncUntilIdle(t.id);
    expect(initial.at(-1)!.tenants[0]).toMatchObject({ outcome: "finished" });
    expect(Math.max(...initial.map((r) => r.peakHubInFlight))).toBeLessThanOrEqual(6);
    const s = scim(t);
    // 10 changes: 4 user updates, 1 deactivation, 1 new user, 2 member adds, 1 remove, 1 rename.
    for (const u of dir.users.slice(0, 4)) await s.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "displayName", value: `${u.id} v2` }));
    await s.patch(`/Users/${dir.users[4]!.id}`, patchOp({ op: "replace", path: "active", value: false }));
    const fresh = await s.createUser();
    const [g0, g1] = dir.groups as [{ id: string }, { id: string }];
    await s.patch(`/Groups/${g0.id}`, patchOp({ op: "add", path: "members", value: [{ value: fresh.id }, { value: dir.users[1]!.id }] }));
    await s.patch(`/Groups/${g1.id}`, patchOp({ op: "remove", path: `members[value eq "${dir.users[1]!.id}"]` }));
    await s.patch(`/Groups/${g1.id}`, patchOp({ op: "replace", path: "displayName", value: `renamed ${g1.id}` }));
    await hub.resetCalls();
    const run = await runSync(t.id);
    expect(run.tenants[0]).toMatchObject({ outcome: "finished", kind: "incremental" });
    const view = await hubView(hub);
    expect(view.users.get(dir.users[4]!.id)).toMatchObject({ active: false });
    expect(view.members[g0.id]).toContain(fresh.id);
    expect(view.members[g1.id] ?? []).not.toContain(dir.users[1]!.id);
    return { d1: run.d1Calls, hub: run.hubCalls, hubTotal: (await hub.calls()).total };
  }

  it("an incremental cycle of 10 changes stays within 20 D1 and 20 hub calls, independent of directory size", async () => {
    const small = await tenChanges(10);
    const large = await tenChanges(100);
    expect(small.d1).toBeLessThanOrEqual(20);
    expect(small.hub).toBeLessThanOrEqual(20);
    expect(small.hub).toBe(small.hubTotal);
    expect(large).toEqual(small);
  }, 60_000);
});
