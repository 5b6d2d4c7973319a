// Device Hub sync test harness: trigger the real scheduled handler (it sends queue messages the
// real consumer runs), hand the real queue handler a batch (createMessageBatch), or run the same
// reconcile entry scoped to one tenant (test clock and budget) deterministically; drive the
// provisioning admin API, and inspect/fault the emulator through its control API.
import {
  createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult, waitOnExecutionContext,
} from "cloudflare:test";
import { expect } from "vitest";
import worker from "../../src/index";
import { createApp } from "../../src/http/app";
import { runReconcile, type ReconcileOptions, type ReconcileReport } from "../../src/sync/engine/reconcile";
import { ADMIN_TOKEN, ORIGIN } from "./http";
import { newTenant, type TestTenant } from "./tenant";
import { tenantD1, tenantDb } from "./shard";
import { dueTenantPage } from "../../src/sync/storage/sync-wake";
import { DISPATCH_GRACE_MS } from "../../src/sync/queue/dispatch";

export const HUB_BASE = "http://device-hub";

/**
 * The real scheduled handler, as the cron trigger calls it: it sends one message per due tenant
 * to the real queue and returns; the real consumer runs them moments later (wait for the hub).
 */
export async function runCron(): Promise<void> {
  const controller = createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env, ctx);
  await waitOnExecutionContext(ctx);
}

/** The same reconcile entry the queue consumer runs, for one tenant (tests share one D1). */
export const runSync = (tenantId: string, opts: ReconcileOptions = {}): Promise<ReconcileReport> =>
  runReconcile(env, { tenantIds: [tenantId], ...opts });

/** Run invocations until the tenant's cycle finished (or `max` invocations). */
export async function syncUntilIdle(tenantId: string, opts: ReconcileOptions = {}, max = 10): Promise<ReconcileReport[]> {
  const reports: ReconcileReport[] = [];
  for (let i = 0; i < max; i++) {
    const r = await runSync(tenantId, opts);
    reports.push(r);
    if (r.tenants[0]?.outcome !== "paused" || r.tenants[0]?.stop !== "budget") return reports;
  }
  return reports;
}

/** A clock `offsetMs` ahead of real time (backoff, Retry-After and next runs without waiting). */
export const later = (offsetMs: number) => () => new Date(Date.now() + offsetMs);

// The real app, driven with an execution context we can wait on: POST …/provisioning/run
// continues in waitUntil, and tests need it finished before they look at the hub.
const app = createApp();

export async function hubAdmin(path: string, opts: { method?: string; body?: unknown; token?: string } = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${ORIGIN}/admin/v1${path}`, {
      method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
      headers: { Authorization: `Bearer ${opts.token ?? ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

export type Json = Record<string, any>;

/**
 * Hand the real queue handler one batch (as the queue would) and wait for it: its ack/retry
 * result per message. Messages the consumer sends on (continue, change) go to the real queue.
 */
export async function deliver(messages: { tenantId: string; reason?: string; body?: unknown; attempts?: number }[], queue = "edge-scim-sync") {
  const batch = createMessageBatch(
    queue,
    messages.map((m, i) => ({
      id: `msg-${i}-${crypto.randomUUID().slice(0, 8)}`,
      timestamp: new Date(),
      attempts: m.attempts ?? 1,
      body: m.body ?? { tenantId: m.tenantId, reason: m.reason ?? "change" },
    })),
  );
  // getQueueResult reports which messages were retried but not their delay: record it on the way.
  const delays: Record<string, number | undefined> = {};
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    Object.defineProperty(m, "retry", { value: (o?: QueueRetryOptions) => ((delays[m.id] = o?.delaySeconds), retry(o)) });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { ids: batch.messages.map((m) => m.id), result: await getQueueResult(batch, ctx), delays };
}

export async function hubJson<T = Json>(path: string, opts: Parameters<typeof hubAdmin>[1] = {}): Promise<T> {
  const res = await hubAdmin(path, opts);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as T;
}

function hubBinding(): Fetcher {
  if (!env.DEVICE_HUB) throw new Error("DEVICE_HUB binding missing (test/vitest.config.ts)");
  return env.DEVICE_HUB;
}

export interface HubState {
  users: Json[];
  groups: Json[];
  members: { groupId: string; userId: string }[];
}

/** One emulator workspace (a random API key = an empty hub) and its control API. */
export function hubWorkspace(apiKey = `key-${crypto.randomUUID()}`) {
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await hubBinding().fetch(`${HUB_BASE}/__control${path}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : undefined };
  };
  return {
    apiKey,
    control,
    state: async () => (await control("GET", "/state")).body as unknown as HubState,
    calls: async () => (await control("GET", "/calls")).body as { total: number; byRoute: Record<string, number> },
    resetCalls: async () => void (await control("DELETE", "/calls")),
    fault: async (spec: Json) => expect((await control("POST", "/faults", spec)).status).toBe(201),
    clearFaults: async () => void (await control("DELETE", "/faults")),
    /** Answers held by "hold" faults right now, and letting them go. */
    held: async () => ((await control("GET", "/held")).body as { held: number }).held,
    release: async () => ((await control("POST", "/release")).body as { released: number }).released,
    /** Answer list calls with at most `maxPage` items per page (a big directory in a few dozen rows). */
    paging: async (maxPage: number) => expect((await control("PUT", "/paging", { maxPage })).status).toBe(204),
    /** The data API behind the connector's back (drift, hub-owned users). */
    api: async (method: string, path: string, body?: unknown) => control(method, `/api${path}`, body),
  };
}

export type HubWorkspace = ReturnType<typeof hubWorkspace>;

/**
 * A fresh tenant with a fresh hub workspace, configured and started. Its SCIM writes do not wake
 * the sync (syncOnChange false) unless asked: the test decides when a cycle runs. A deleted user's
 * hub account is deleted at once (no grace period) unless asked.
 */
export async function provisionedTenant(settings: Json = {}, opts: { shard?: string } = {}): Promise<{ t: TestTenant; hub: HubWorkspace }> {
  const t = await newTenant(undefined, opts);
  const hub = hubWorkspace();
  // deletedUserGraceDays 0: a SCIM delete deletes the hub account at once, as the tests written
  // before the grace period expect; test/sync/kept-accounts.test.ts sets its own.
  const body = { baseUrl: HUB_BASE, apiKey: hub.apiKey, syncOnChange: false, deletedUserGraceDays: 0, ...settings };
  const put = await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PUT", body });
  expect(put.status, await put.clone().text()).toBe(201);
  await hubJson(`/tenants/${t.id}/provisioning/start`, { method: "POST" });
  return { t, hub };
}

/** Hub state keyed for assertions: users by externalRef, groups by externalRef, members as refs. */
export async function hubView(hub: HubWorkspace) {
  const s = await hub.state();
  const userRef = new Map(s.users.map((u) => [u.id as string, (u.externalRef as string | null) ?? `hub:${u.userName}`]));
  const groupRef = new Map(s.groups.map((g) => [g.id as string, (g.externalRef as string | null) ?? `hub:${g.name}`]));
  const members: Record<string, string[]> = {};
  for (const m of s.members) (members[groupRef.get(m.groupId) ?? m.groupId] ??= []).push(userRef.get(m.userId) ?? m.userId);
  for (const list of Object.values(members)) list.sort();
  return {
    raw: s,
    users: new Map(s.users.map((u) => [(u.externalRef as string | null) ?? `hub:${u.userName}`, u])),
    groups: new Map(s.groups.map((g) => [(g.externalRef as string | null) ?? `hub:${g.name}`, g])),
    members,
  };
}

/** `n` SCIM users written straight to D1 (no outbox rows: an initial or full sweep queues them). */
export async function seedUsers(tenantId: string, n: number, prefix = "seed"): Promise<{ id: string; userName: string }[]> {
  const now = new Date().toISOString();
  const users = Array.from({ length: n }, (_, i) => ({ id: crypto.randomUUID(), userName: `${prefix}${i}-${tenantId.slice(0, 8)}@example.com` }));
  await (await tenantD1(tenantId)).prepare(`INSERT INTO users (tenant_id, id, user_name, user_name_lc, active, version, created_at, updated_at, doc)
    SELECT ?1, json_extract(value, '$.id'), json_extract(value, '$.userName'), lower(json_extract(value, '$.userName')), 1, 1, ?2, ?2,
      json_object('userName', json_extract(value, '$.userName'), 'active', json('true'))
    FROM json_each(?3)`).bind(tenantId, now, JSON.stringify(users)).run();
  return users;
}

/** Whether the cron's due query (all pages) would send the tenant a message at `now`. */
export async function cronWouldSend(tenantId: string, now: string): Promise<boolean> {
  let after = "";
  for (;;) {
    const page = await dueTenantPage(await tenantDb(tenantId), now, after, 100, DISPATCH_GRACE_MS);
    if (page.tenantIds.includes(tenantId)) return true;
    if (page.next === null) return false;
    after = page.next;
  }
}
