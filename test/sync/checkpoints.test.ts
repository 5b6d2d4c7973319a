// Issue 22, finding 7, at the storage level: a D1 failure after a sweep page must not save the
// advanced cursor; a held delete plus a re-used userName must not park the new user until the
// next full sweep; a side run's new mirror rows must survive the stale cleanup of a group the
// sweep listed with 0 members.
import { describe, expect, it } from "vitest";
import { patchOp, scim } from "../support/scim";
import { hubJson, hubView, later, provisionedTenant, runSync, seedUsers, syncUntilIdle } from "../support/run-cron";
import { tenantD1 } from "../support/shard";

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Make every write of a swept hub user (seen_sweep set) of this tenant fail, until dropped. */
async function failSweptUserWrites(tenantId: string) {
  const d1 = await tenantD1(tenantId);
  const name = `test_fail_${tenantId.replace(/-/g, "")}`;
  await d1.batch([
    d1.prepare(`CREATE TRIGGER ${name}_i BEFORE INSERT ON hub_users WHEN NEW.tenant_id = '${tenantId}' AND NEW.seen_sweep IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'injected D1 failure'); END`),
    d1.prepare(`CREATE TRIGGER ${name}_u BEFORE UPDATE ON hub_users WHEN NEW.tenant_id = '${tenantId}' AND NEW.seen_sweep IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'injected D1 failure'); END`),
  ]);
  return async () => void (await d1.batch([d1.prepare(`DROP TRIGGER ${name}_i`), d1.prepare(`DROP TRIGGER ${name}_u`)]));
}

describe("device hub sync: checkpoints and mirror rows", () => {
  it("a sweep page whose commit fails is read again: the advanced cursor is not saved, and a deletion on that page is not lost", async () => {
    const { t, hub } = await provisionedTenant();
    const users = (await seedUsers(t.id, 501)).sort((a, b) => (a.id < b.id ? -1 : 1));
    await syncUntilIdle(t.id);
    expect((await hubView(hub)).raw.users).toHaveLength(501);
    // The hub lists users in creation order (SCIM id order here): the first one is on page 1.
    const gone = users[0]!;
    expect((await scim(t).delete(`/Users/${gone.id}`)).status).toBe(204);
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    const restore = await failSweptUserWrites(t.id);
    try {
      expect((await runSync(t.id, { clock: later(MIN) })).tenants[0]).toMatchObject({ outcome: "error" });
    } finally {
      await restore();
    }
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    // The sweep resumes where its last commit left it: not past the page that failed.
    expect(status.currentCycle).toMatchObject({ kind: "fullSweep" });
    expect(["sweepStart", "hubUsers"]).toContain(status.currentCycle.progress.phase);
    expect((await syncUntilIdle(t.id, { clock: later(2 * MIN) })).at(-1)!.tenants[0]).toMatchObject({ outcome: "finished" });
    const view = await hubView(hub);
    expect(view.users.has(gone.id)).toBe(false);
    expect(view.raw.users).toHaveLength(500);
  });

  it("a held delete and a re-used userName: the new user is created right after the confirmed delete, not at the next full sweep", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const users = await seedUsers(t.id, 40);
    await syncUntilIdle(t.id);
    // 21 deletions of 40 are held by the guard; one of them frees a name a new user takes.
    for (const u of users.slice(0, 21)) expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    const reused = await s.createUser({ userName: users[0]!.userName });
    for (let i = 1; i <= 6; i++) await runSync(t.id, { clock: later(i * 2 * HOUR) });
    let status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.deletions).toMatchObject({ state: "awaitingConfirmation", users: 21 });
    expect(status.queue.parked).toBe(1);

    // (The runs' clock is 12 h ahead: a confirmation that lasts a day covers them.)
    await hubJson(`/tenants/${t.id}/provisioning/confirm-deletions`, { method: "POST", body: { expiresInMinutes: 1440 } });
    await runSync(t.id, { clock: later(12 * HOUR + MIN) });
    await runSync(t.id, { clock: later(12 * HOUR + 2 * MIN) });
    const view = await hubView(hub);
    expect(view.users.get(reused.id)).toMatchObject({ userName: users[0]!.userName });
    expect(view.raw.users).toHaveLength(20);
    status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.queue).toEqual({ queued: 0, pending: 0, parked: 0 });
  });

  it("a member a side run adds to a group the sweep listed with 0 members stays in the mirror", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const [u, v] = [await s.createUser(), await s.createUser()];
    const empty = await s.createGroup();
    const full = await s.createGroup({ members: [{ value: v.id }] });
    await syncUntilIdle(t.id);
    const hubGroups = (await hubView(hub)).groups;
    const [emptyHub, fullHub] = [hubGroups.get(empty.id)!.id as string, hubGroups.get(full.id)!.id as string];

    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    // The sweep lists `empty` with 0 members, then fails on `full`'s members (two runs); in the
    // second run's side run, u joins `empty` (a change made after the sweep started).
    await hub.fault({ kind: "error", status: 503, method: "GET", pathPrefix: `/v1/groups/${fullHub}/members`, count: 2 });
    await runSync(t.id, { clock: later(MIN) });
    expect((await s.patch(`/Groups/${empty.id}`, patchOp({ op: "add", path: "members", value: [{ value: u.id }] }))).status).toBe(204);
    await runSync(t.id, { clock: later(2 * MIN) });
    expect((await hubView(hub)).members[empty.id]).toEqual([u.id]);

    // The sweep goes on: its stale cleanup of `empty` must keep the side run's row, so no re-add is needed.
    await hub.fault({ kind: "rateLimit", retryAfterSeconds: 1, method: "POST", pathPrefix: `/v1/groups/${emptyHub}/members`, count: 1 });
    await hub.resetCalls();
    await runSync(t.id, { clock: later(3 * MIN) });
    const d1 = await tenantD1(t.id);
    const row = await d1.prepare("SELECT count(*) AS n FROM hub_members WHERE tenant_id = ? AND group_id = ? AND member_id = ?").bind(t.id, empty.id, u.id).first<number>("n");
    expect(row).toBe(1);
    expect((await hub.calls()).byRoute["POST /v1/groups/:id/members/add"] ?? 0).toBe(0);
  });
});
