// The drift report: a queue-driven walk of the live hub, SCIM and the mirror that lists every
// difference with its reason and repair — missing in the hub, extra in the hub (ours / foreign),
// fields that differ, memberships that differ, a name a foreign account holds, parked items.
import { describe, expect, it } from "vitest";
import { scim } from "../support/scim";
import { hubAdmin, hubJson, hubView, provisionedTenant, runSync, seedUsers, syncUntilIdle, type Json } from "../support/run-cron";
import { MAX_MEMBERS_LISTED } from "../../src/sync/admin/drift";
import { tenantD1 } from "../support/shard";
import { waitFor } from "../support/wait";

const find = (items: Json[], kind: string, scimId: string | null, hubId?: string) =>
  items.filter((i) => i.kind === kind && (scimId === null || i.scimId === scimId) && (hubId === undefined || i.hubId === hubId));

describe("device hub sync: drift report", () => {
  it("lists each difference between SCIM and the live hub with its reason and repair, through the queue and in the request", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const [a, b, c, d] = [await s.createUser(), await s.createUser(), await s.createUser(), await s.createUser()];
    const g = await s.createGroup({ members: [{ value: a.id }, { value: b.id }] });
    await runSync(t.id);
    // A user the hub refuses (naming rules): parked.
    const f = await s.createUser({ name: { givenName: "Ann_Marie", familyName: "Smith" } });
    await runSync(t.id);
    const view = await hubView(hub);
    const hubId = (ref: string) => (view.users.get(ref) ?? view.groups.get(ref))!.id as string;

    // Drift behind the connector's back.
    await hub.api("PATCH", `/v1/users/${hubId(a.id)}`, { displayName: "Hacked" });
    await hub.api("DELETE", `/v1/users/${hubId(b.id)}`);
    await hub.api("POST", `/v1/groups/${hubId(g.id)}/members/remove`, { userIds: [hubId(a.id)] });
    const hr = (await hub.api("POST", "/v1/users", { userName: `hr-${t.id.slice(0, 8)}@hr.example`, externalRef: `hr-${crypto.randomUUID()}` })).body!;
    await (await tenantD1(t.id)).prepare("DELETE FROM users WHERE tenant_id = ? AND id = ?").bind(t.id, d.id).run();
    // A SCIM user not synced yet whose name a hub-made account then takes.
    const e = await s.createUser();
    const holder = (await hub.api("POST", "/v1/users", { userName: e.userName })).body!;

    // Through the queue: 202 at once, then the consumer walks it to the end.
    const started = await hubAdmin(`/tenants/${t.id}/provisioning/drift`, { method: "POST" });
    expect(started.status).toBe(202);
    const { report: first } = (await started.json()) as Json;
    expect(first).toMatchObject({ state: "running", phase: "hubUsers" });
    await waitFor(async () => (await hubJson(`/tenants/${t.id}/provisioning/drift`)).report?.state === "done");
    const queued = (await hubJson(`/tenants/${t.id}/provisioning/drift`)).report as Json;
    expect(queued.id).toBe(first.id);

    // In the request: the same differences.
    const { report } = await hubJson(`/tenants/${t.id}/provisioning/drift?wait=true`, { method: "POST" });
    expect(report).toMatchObject({ state: "done", phase: "done", truncated: false, error: null, finishedAt: expect.any(String) });
    expect(report.counts).toEqual(queued.counts);
    const items = report.items as Json[];
    expect(find(items, "fieldDiffers", a.id)).toEqual([expect.objectContaining({ resourceType: "User", hubId: hubId(a.id), reason: expect.stringContaining("displayName"), repair: "full-sweep" })]);
    expect(find(items, "missingInHub", b.id)).toEqual([expect.objectContaining({ reason: expect.stringContaining("deleted behind our back"), repair: "full-sweep" })]);
    expect(find(items, "missingInHub", e.id)).toEqual([expect.objectContaining({ reason: expect.stringContaining("queued"), repair: "run" })]);
    expect(find(items, "nameHeldByForeign", e.id)).toEqual([expect.objectContaining({ hubId: holder.id, name: e.userName, repair: "adopt" })]);
    expect(find(items, "extraInHubOurs", d.id)).toEqual([expect.objectContaining({ hubId: hubId(d.id), reason: expect.stringContaining("deleted in SCIM") })]);
    expect(find(items, "extraInHubForeign", null, hr.id as string)).toEqual([expect.objectContaining({ repair: "none", reason: expect.stringContaining(hr.externalRef as string) })]);
    expect(find(items, "membershipDiffers", g.id)).toEqual([expect.objectContaining({
      resourceType: "Membership", reason: expect.stringContaining("lacks 2 of SCIM's members"),
      members: expect.objectContaining({ missingTotal: 2, extraTotal: 0, missing: expect.arrayContaining([expect.objectContaining({ scimId: a.id }), expect.objectContaining({ scimId: b.id })]) }),
    })]);
    expect(find(items, "parked", f.id)).toEqual([expect.objectContaining({ repair: "retry-parked", reason: expect.stringContaining("naming_rule_violation") })]);
    // In sync: not listed at all.
    expect(items.filter((i) => i.scimId === c.id)).toEqual([]);
    expect(report.counts).toEqual({
      fieldDiffers: 1, missingInHub: 2, nameHeldByForeign: 1, extraInHubOurs: 1, extraInHubForeign: 1, membershipDiffers: 1, parked: 1,
    });
    expect(report.differences).toBe(8);
    expect(report.progress).toMatchObject({ hubUsers: 5, scimUsers: 5, hubGroups: 1, members: 0, scimGroups: 1, parked: 1 });
  });

  it("compares a group's members by identity: the same count with other members is a difference (missing and extra listed)", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const [a, b, c] = [await s.createUser(), await s.createUser(), await s.createUser()];
    const g = await s.createGroup({ members: [{ value: a.id }, { value: b.id }] });
    await runSync(t.id);
    const view = await hubView(hub);
    const hubId = (ref: string) => (view.users.get(ref) ?? view.groups.get(ref))!.id as string;
    // Behind the connector's back: a out, c (ours, not a SCIM member) in: still two members.
    await hub.api("POST", `/v1/groups/${hubId(g.id)}/members/remove`, { userIds: [hubId(a.id)] });
    await hub.api("POST", `/v1/groups/${hubId(g.id)}/members/add`, { userIds: [hubId(c.id)] });
    // A hub-made member is left alone by the sync: not a difference.
    const made = (await hub.api("POST", "/v1/users", { userName: `made-${t.id.slice(0, 8)}@example.com` })).body!;
    await hub.api("POST", `/v1/groups/${hubId(g.id)}/members/add`, { userIds: [made.id] });
    const { report } = await hubJson(`/tenants/${t.id}/provisioning/drift?wait=true`, { method: "POST" });
    expect(find(report.items, "membershipDiffers", g.id)).toEqual([expect.objectContaining({
      resourceType: "Membership", hubId: hubId(g.id), repair: "full-sweep",
      members: {
        missing: [{ scimId: a.id, hubId: hubId(a.id), userName: a.userName }], missingTotal: 1,
        extra: [{ scimId: c.id, hubId: hubId(c.id), userName: c.userName }], extraTotal: 1,
      },
    })]);
    expect(report.counts).toEqual({ membershipDiffers: 1, extraInHubForeign: 1 });
    // A full sweep repairs it: nothing differs any more.
    await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    await syncUntilIdle(t.id);
    const after = (await hubJson(`/tenants/${t.id}/provisioning/drift?wait=true`, { method: "POST" })).report;
    expect(after.counts).toEqual({ extraInHubForeign: 1 });
  });

  it("walks a group's members in bounded slices through the queue, listing a bounded number per group with the totals", async () => {
    const { t, hub } = await provisionedTenant();
    const ids = await seedUsers(t.id, 60, "member");
    const s = scim(t);
    const g = await s.createGroup({ members: ids.map((u) => ({ value: u.id })) });
    await syncUntilIdle(t.id);
    // Three members a hub page: the group's listing spans 20 pages, each a step of its own.
    await hub.paging(3);
    const view = await hubView(hub);
    const gone = ids.slice(0, 30).map((u) => view.users.get(u.id)!.id as string);
    await hub.api("POST", `/v1/groups/${view.groups.get(g.id)!.id}/members/remove`, { userIds: gone });
    const started = await hubAdmin(`/tenants/${t.id}/provisioning/drift`, { method: "POST" });
    expect(started.status).toBe(202);
    await waitFor(async () => (await hubJson(`/tenants/${t.id}/provisioning/drift`)).report?.state === "done");
    const { report } = await hubJson(`/tenants/${t.id}/provisioning/drift`);
    const [item] = find(report.items, "membershipDiffers", g.id);
    expect(item!.members.missingTotal).toBe(30);
    expect(item!.members.extraTotal).toBe(0);
    expect(item!.members.missing).toHaveLength(MAX_MEMBERS_LISTED);
    const missing = new Set(ids.slice(0, 30).map((u) => u.id));
    for (const m of item!.members.missing) expect(missing.has(m.scimId)).toBe(true);
    expect(report.counts).toEqual({ membershipDiffers: 1 });
    expect(report.progress.members).toBe(30);
  });

  it("counts an adoption the next run has not finished yet as ours, not as a foreign account plus a missing user", async () => {
    const { t, hub } = await provisionedTenant();
    await hubJson(`/tenants/${t.id}/provisioning/policy`, { method: "PATCH", body: { hubConflict: "adopt" } });
    const userName = `adopted-${t.id.slice(0, 8)}@example.com`;
    const held = (await hub.api("POST", "/v1/users", { userName, displayName: "Self registered" })).body!;
    const u = await scim(t).createUser({ userName });
    // No run yet: the hub user still has no externalRef; the ledger already names it.
    expect((await hubView(hub)).users.get(u.id)).toBeUndefined();
    const { report } = await hubJson(`/tenants/${t.id}/provisioning/drift?wait=true`, { method: "POST" });
    expect(find(report.items, "extraInHubForeign", null, held.id as string)).toEqual([]);
    expect(find(report.items, "missingInHub", u.id)).toEqual([]);
    // The next run finishes the adoption and sends SCIM's fields: nothing differs any more.
    await runSync(t.id);
    const after = (await hubJson(`/tenants/${t.id}/provisioning/drift?wait=true`, { method: "POST" })).report;
    expect(after).toMatchObject({ state: "done", differences: 0, items: [] });
  });

  it("is empty once an account adopted from the hub-held list has been synced", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    const userName = `held-${t.id.slice(0, 8)}@example.com`;
    await hub.api("POST", "/v1/users", { userName, displayName: "Self registered" });
    expect((await scim(t).post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true })).status).toBe(409);
    await hubJson(`/tenants/${t.id}/provisioning/hub-held-names/adopt`, { method: "POST", body: { userNames: [userName] } });
    await runSync(t.id);
    const { report } = await hubJson(`/tenants/${t.id}/provisioning/drift?wait=true`, { method: "POST" });
    expect(report.items).toEqual([]);
  });

  it("is empty when the hub matches SCIM", async () => {
    const { t } = await provisionedTenant();
    const s = scim(t);
    const u = await s.createUser();
    await s.createGroup({ members: [{ value: u.id }] });
    await runSync(t.id);
    const { report } = await hubJson(`/tenants/${t.id}/provisioning/drift?wait=true`, { method: "POST" });
    expect(report).toMatchObject({ state: "done", differences: 0, items: [], counts: {} });
  });
});
