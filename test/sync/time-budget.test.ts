// Time is not failure: a hub call the run's own deadline stopped (never sent, or cut in flight) is
// not an attempt and not a back-off; the work goes on in the next invocation, and a tenant whose
// work backed off is woken when its earliest item falls due, not at the next 5-minute tick.
import { createMessageBatch, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/config";
import { createLogger } from "../../src/platform/log";
import { consumeSyncBatch } from "../../src/sync/queue/consumer";
import { cronWouldSend, hubJson, hubView, provisionedTenant, runSync, seedUsers, syncUntilIdle, type Json } from "../support/run-cron";
import { patchOp, scim } from "../support/scim";

const USERS = 60;
/** A slow but healthy hub: every PATCH answers after 300 ms, far under its 10 s call timeout. */
const PATCH_LATENCY_MS = 300;
/** 60 PATCHes at 6 in flight need ~3 s of hub time: more than one run of 2 s. */
const BUDGET_MS = 2000;

const at = (ms: number) => new Date(Date.now() + ms).toISOString();

describe("device hub sync: the run's own deadline", () => {
  it("is not a hub failure: cut calls count no attempt, back off nothing, and the next runs finish the work", async () => {
    const { t, hub } = await provisionedTenant();
    const users = await seedUsers(t.id, USERS, "slow");
    await syncUntilIdle(t.id);
    const s = scim(t);
    for (let i = 0; i < USERS; i += 10) {
      await Promise.all(users.slice(i, i + 10).map(async (u) => {
        const res = await s.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: "displayName", value: `Renamed ${u.userName}` }));
        expect(res.status).toBe(200);
      }));
    }
    await hub.fault({ kind: "timeout", delayMs: PATCH_LATENCY_MS, apply: true, method: "PATCH", pathPrefix: "/v1/users/", count: 10_000 });

    const first = await runSync(t.id, { budgetMs: BUDGET_MS });
    expect(first.tenants[0]).toMatchObject({ outcome: "paused", stop: "budget" });
    // No clock games: nothing backed off, so the next runs do the rest at once.
    const runs = await syncUntilIdle(t.id, { budgetMs: BUDGET_MS }, 20);
    expect(runs.at(-1)!.tenants[0]).toMatchObject({ outcome: "finished" });
    const view = await hubView(hub);
    expect(users.filter((u) => view.users.get(u.id)?.displayName !== `Renamed ${u.userName}`)).toEqual([]);
    const logs = (await hubJson(`/tenants/${t.id}/provisioning/logs?limit=500`)).entries as Json[];
    expect(logs.filter((e) => e.result === "failed" || e.result === "parked")).toEqual([]);
    expect(await hubJson(`/tenants/${t.id}/provisioning`)).toMatchObject({ lastError: null, queue: { queued: 0, pending: 0, parked: 0 } });
  }, 180_000);
});

describe("device hub sync: work that backed off", () => {
  it("wakes its tenant when the earliest item falls due: the cron's schedule and a delayed queue message", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    await scim(t).createUser();
    await hub.fault({ kind: "error", status: 503, method: "POST", pathPrefix: "/v1/users", count: 1 });
    // The consumer's own run, with the queue binding recorded on the way (and still delivering).
    const sent: { body: Json; delaySeconds?: number }[] = [];
    const queue = {
      send: async (body: Json, opts?: QueueSendOptions) => {
        sent.push({ body, delaySeconds: opts?.delaySeconds });
        return env.SYNC_QUEUE!.send(body as never, opts);
      },
      sendBatch: (...args: Parameters<NonNullable<Bindings["SYNC_QUEUE"]>["sendBatch"]>) => env.SYNC_QUEUE!.sendBatch(...args),
    };
    const batch = createMessageBatch("edge-scim-sync", [{ id: "m1", timestamp: new Date(), attempts: 1, body: { tenantId: t.id, reason: "change" } }]);
    await consumeSyncBatch(batch, { ...env, SYNC_QUEUE: queue } as unknown as Bindings, createLogger({ test: "due" }));
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status).toMatchObject({ lastCycle: { kind: "incremental" }, queue: { queued: 1 } });
    // The item backs off 60 s: the tenant is due then, not at the periodic run 5 minutes away.
    expect(await cronWouldSend(t.id, at(30_000))).toBe(false);
    expect(await cronWouldSend(t.id, at(61_000))).toBe(true);
    const due = sent.filter((m) => m.body.tenantId === t.id && m.body.reason === "due");
    expect(due).toHaveLength(1);
    expect(due[0]!.delaySeconds).toBeGreaterThan(0);
    expect(due[0]!.delaySeconds).toBeLessThanOrEqual(61);
  });
});
