// The sync on Cloudflare Queues, through the real queue and the real consumer: a SCIM write wakes
// its tenant's sync (no cron tick), messages are coalesced, duplicate and lost messages change
// nothing, a 429 delays only its tenant, a budget pause continues by message, dead letters show.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/platform/log";
import { createDb } from "../../src/platform/d1/db";
import { claimWake } from "../../src/sync/storage/sync-wake";
import { DISPATCH_GRACE_MS, WAKE_COALESCE_MS } from "../../src/sync/queue/dispatch";
import { consumeSyncBatch } from "../../src/sync/queue/consumer";
import { cronWouldSend, deliver, hubJson, hubView, provisionedTenant, runCron, runSync, type HubWorkspace } from "../support/run-cron";
import { scim } from "../support/scim";
import { waitFor } from "../support/wait";
import { tenantD1, tenantDb } from "../support/shard";

const status = (tenantId: string) => hubJson(`/tenants/${tenantId}/provisioning`);
const hasUser = (hub: HubWorkspace, id: string) => async () => (await hubView(hub)).users.has(id);
const at = (ms: number) => new Date(Date.now() + ms).toISOString();

describe("sync queue: SCIM writes wake the sync", () => {
  it("a create and a later update reach the hub through the queue, without a cron tick", async () => {
    const { t, hub } = await provisionedTenant({ syncOnChange: true });
    const s = scim(t);
    const u = await s.createUser();
    await waitFor(hasUser(hub, u.id));
    // The initial cycle finished: the schedule is 5 minutes away, so only the wake-up can run the update.
    await waitFor(async () => (await status(t.id)).lastCycle?.kind === "initial");
    const patched = await s.patch(`/Users/${u.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "displayName", value: "Queued Change" }],
    });
    expect(patched.status).toBe(200);
    await waitFor(async () => (await hubView(hub)).users.get(u.id)?.displayName === "Queued Change");
    expect(await status(t.id)).toMatchObject({ lastCycle: { kind: "incremental" }, lastError: null, deadLetters: { count: 0 } });
  });

  it("a burst of writes converges", async () => {
    const { t, hub } = await provisionedTenant({ syncOnChange: true });
    const users = await Promise.all(Array.from({ length: 8 }, () => scim(t).createUser()));
    await waitFor(async () => {
      const view = await hubView(hub);
      return users.every((u) => view.users.has(u.id));
    });
  });

  it("the wake-up is claimed once per tenant per coalescing window", async () => {
    // A quiet tenant: synced (not due), no writes, so no message of its own is in flight.
    const { t } = await provisionedTenant({ syncOnChange: true });
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "finished" });
    const now = at(60_000);
    expect(await claimWake(await tenantDb(t.id), t.id, now, WAKE_COALESCE_MS)).toBe(true);
    expect(await claimWake(await tenantDb(t.id), t.id, now, WAKE_COALESCE_MS)).toBe(false);
    expect(await claimWake(await tenantDb(t.id), t.id, at(60_000 + WAKE_COALESCE_MS), WAKE_COALESCE_MS)).toBe(true);
  });

  it("stopped tenants and tenants with syncOnChange false are not woken", async () => {
    const quiet = await provisionedTenant();
    expect(await claimWake(await tenantDb(quiet.t.id), quiet.t.id, at(0), WAKE_COALESCE_MS)).toBe(false);
    const stopped = await provisionedTenant({ syncOnChange: true });
    await hubJson(`/tenants/${stopped.t.id}/provisioning/stop`, { method: "POST" });
    await scim(stopped.t).createUser();
    expect(await claimWake(await tenantDb(stopped.t.id), stopped.t.id, at(60_000), WAKE_COALESCE_MS)).toBe(false);
    expect(await status(stopped.t.id)).toMatchObject({ wakeQueuedAt: null, lastCycle: null });
  });
});

describe("sync queue: at-least-once delivery", () => {
  it("duplicate messages, in one batch and redelivered, change nothing", async () => {
    const { t, hub } = await provisionedTenant();
    const u = await scim(t).createUser();
    const first = await deliver([{ tenantId: t.id }, { tenantId: t.id, reason: "cron" }]);
    expect(first.result.retryMessages).toEqual([]);
    expect([...first.result.explicitAcks].sort()).toEqual([...first.ids].sort());
    const after = await hubView(hub);
    expect([...after.users.keys()]).toEqual([u.id]);
    const calls = (await hub.calls()).total;
    const again = await deliver([{ tenantId: t.id }]);
    expect(again.result.explicitAcks).toEqual(again.ids);
    expect((await hubView(hub)).raw).toEqual(after.raw);
    expect((await hub.calls()).total).toBe(calls);
  });

  it("a lost wake-up is caught by the next cron tick (outbox rows past the cursor make the tenant due)", async () => {
    const { t, hub } = await provisionedTenant();
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "finished" });
    expect(await cronWouldSend(t.id, at(0))).toBe(false);
    const u = await scim(t).createUser(); // syncOnChange false: no message, as if it were lost
    expect(await cronWouldSend(t.id, at(0))).toBe(true);
    await runCron();
    await waitFor(hasUser(hub, u.id));
  });

  it("a claimed wake-up whose message is lost: the cron skips the tenant for the grace period, then sends", async () => {
    const { t } = await provisionedTenant({ syncOnChange: true });
    await runSync(t.id);
    await (await tenantD1(t.id)).prepare("UPDATE hub_settings SET sync_on_change = 0 WHERE tenant_id = ?").bind(t.id).run();
    await scim(t).createUser();
    const sentAt = at(0);
    await (await tenantD1(t.id)).prepare("UPDATE sync_state SET wake_queued_at = ? WHERE tenant_id = ?").bind(sentAt, t.id).run();
    expect(await cronWouldSend(t.id, sentAt)).toBe(false);
    expect(await cronWouldSend(t.id, at(DISPATCH_GRACE_MS + 1000))).toBe(true);
  });

  it("a busy tenant (lease held) is acked without work; the cron runs it once the lease is gone", async () => {
    const { t, hub } = await provisionedTenant();
    const u = await scim(t).createUser();
    const until = at(600_000);
    await (await tenantD1(t.id)).prepare("UPDATE sync_state SET lease_id = 'other-run', lease_until = ? WHERE tenant_id = ?").bind(until, t.id).run();
    const busy = await deliver([{ tenantId: t.id }]);
    expect(busy.result.explicitAcks).toEqual(busy.ids);
    expect((await hubView(hub)).raw.users).toEqual([]);
    expect(await cronWouldSend(t.id, at(0))).toBe(false);
    // The holder crashed: its lease expires, and the tenant is due again.
    await (await tenantD1(t.id)).prepare("UPDATE sync_state SET lease_until = ? WHERE tenant_id = ?").bind(at(-1000), t.id).run();
    expect(await cronWouldSend(t.id, at(0))).toBe(true);
    await runCron();
    await waitFor(hasUser(hub, u.id));
  });
});

describe("sync queue: pauses, rate limits, failures", () => {
  it("a 429 with Retry-After: 30 delays only its tenant (retry with that delay); the other one syncs", async () => {
    const limited = await provisionedTenant();
    const healthy = await provisionedTenant();
    await limited.hub.fault({ kind: "rateLimit", retryAfterSeconds: 30, count: 100 });
    const a = await scim(limited.t).createUser();
    const b = await scim(healthy.t).createUser();
    const { ids, result, delays } = await deliver([{ tenantId: limited.t.id }, { tenantId: healthy.t.id }]);
    expect(result.explicitAcks).toEqual([ids[1]]);
    expect(result.retryMessages).toEqual([{ msgId: ids[0] }]);
    // The delay is what is left of the hub's 30 s when the consumer answers.
    const delay = delays[ids[0]!]!;
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(30);
    expect((await hubView(healthy.hub)).users.has(b.id)).toBe(true);
    expect((await hubView(limited.hub)).users.has(a.id)).toBe(false);
    const blocked = await status(limited.t.id);
    expect(blocked.hubBlockedUntil).not.toBeNull();
    expect(blocked.lastError).toMatch(/rate limited/);
  });

  it("a run paused by its budget continues by message until the cycle is done", async () => {
    const { t, hub } = await provisionedTenant();
    const users = [];
    for (let i = 0; i < 12; i++) users.push(await scim(t).createUser());
    const batch = createMessageBatch("edge-scim-sync", [{ id: "m1", timestamp: new Date(), attempts: 1, body: { tenantId: t.id, reason: "manual" } }]);
    await consumeSyncBatch(batch, env, createLogger({ test: "budget" }), { maxD1Calls: 36 });
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks).toEqual(["m1"]);
    // The run paused (its checkpoint counts 1 invocation) and sent `continue` to the real queue;
    // the real consumer finishes the cycle, so the finished cycle took more than one invocation.
    await waitFor(async () => (await status(t.id)).lastCycle?.kind === "initial");
    const done = await status(t.id);
    expect(done.lastCycle.invocations).toBeGreaterThanOrEqual(2);
    expect(done.lastCycle.counts).toMatchObject({ usersCreated: 12 });
    const view = await hubView(hub);
    expect(users.every((u) => view.users.has(u.id))).toBe(true);
  });

  it("a failing run is retried with a delay; dead letters are counted on the tenant and poison messages retried", async () => {
    const { t } = await provisionedTenant();
    await (await tenantD1(t.id)).prepare("UPDATE hub_settings SET api_key_cipher = 'v1.not-a-key' WHERE tenant_id = ?").bind(t.id).run();
    const failed = await deliver([{ tenantId: t.id }, { tenantId: "", body: { nonsense: true } }]);
    expect(failed.result.explicitAcks).toEqual([]);
    expect(failed.result.retryMessages).toEqual([{ msgId: failed.ids[0] }, { msgId: failed.ids[1] }]);
    expect(failed.delays).toEqual({ [failed.ids[0]!]: 30, [failed.ids[1]!]: undefined });
    expect((await status(t.id)).lastError).toMatch(/./);
    const dead = await deliver([{ tenantId: t.id }, { tenantId: "", body: { nonsense: true } }], "edge-scim-sync-dlq");
    expect(dead.result.ackAll).toBe(true);
    const s = await status(t.id);
    expect(s.deadLetters.count).toBe(1);
    expect(s.deadLetters.lastAt).toEqual(expect.any(String));
  });
});
