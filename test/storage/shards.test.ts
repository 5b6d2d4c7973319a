// Tenants across two D1 shards (DB and DB_1; test/vitest.config.ts): placement (roomiest, or the
// shard an admin names), the shard list, and the cross-tenant jobs (cron, queue, dead letters,
// audit pruning, purges) reaching tenants on both shards. Through the real handlers and real D1.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { PLACEMENT_SIZE_STEP, placementOf, roomiest } from "../../src/tenancy/storage/placement";
import { measureShard } from "../../src/tenancy/storage/shard-stats";
import { directoryDb, shardDb, shardNames, UnknownShard } from "../../src/platform/d1/shards";
import { findTenant } from "../../src/tenancy/storage/tenants";
import { runReconcile } from "../../src/sync/engine/reconcile";
import { admin, call, json } from "../support/http";
import { deliver, hubJson, hubView, provisionedTenant, runCron } from "../support/run-cron";
import { scim, type Json } from "../support/scim";
import { otherShard, shardOf, tenantD1 } from "../support/shard";
import { newTenant } from "../support/tenant";
import { waitFor } from "../support/wait";

interface ShardList {
  shards: { name: string; sizeBytes: number; sizeRefreshedAt: string | null; tenants: number }[];
  nextPlacement: string;
}
const shardList = async () => json<ShardList>(await admin("/shards"));
const createTenant = (body: Json) => admin("/tenants", { body });

/** The admin API's error shape (src/http/errors.ts): `{error: {status, message}}`. */
async function expectAdminError(res: Response, status: number, message: RegExp) {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(await json<Json>(res)).toEqual({ error: { status, message: expect.stringMatching(message) } });
}

describe("shard bindings", () => {
  it("every DB / DB_<n> binding is a shard, DB first; anything else is not", () => {
    expect(shardNames(env)).toEqual(["DB", "DB_1"]);
    expect(() => shardDb(env, "DB_2")).toThrow(UnknownShard);
    expect(() => shardDb(env, "ADMIN_TOKEN")).toThrow(UnknownShard);
    expect(() => shardDb(env, "DEVICE_HUB")).toThrow(UnknownShard);
  });

  it("GET /health checks every shard: a failing DB_1 answers 503", async () => {
    const failing = { prepare: () => ({ first: () => Promise.reject(new Error("D1_ERROR: database unavailable")) }) };
    const ctx = createExecutionContext();
    const res = await createApp().fetch(new Request("https://scim.test/health"), { ...env, DB_1: failing as unknown as D1Database }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect((await call("/health")).status).toBe(200);
  });

  it("D1 reports a database's size in meta.size_after (Miniflare too): what the cron records", async () => {
    for (const name of shardNames(env)) {
      const size = await measureShard(name === "DB" ? env.DB : env.DB_1!);
      // A SQLite file: whole pages, and not empty (the migrations made the tables).
      expect(size).toBeGreaterThan(0);
      expect(size % 4096).toBe(0);
    }
  });
});

describe("placement", () => {
  it("the roomiest shard: smaller size step first, then fewer tenants, then the first name", () => {
    const step = PLACEMENT_SIZE_STEP;
    expect(roomiest([{ shard: "DB", sizeBytes: 3 * step, tenants: 1 }, { shard: "DB_1", sizeBytes: step, tenants: 50 }])).toBe("DB_1");
    // Within one step the sizes count as equal: the tenant count decides.
    expect(roomiest([{ shard: "DB", sizeBytes: 10, tenants: 4 }, { shard: "DB_1", sizeBytes: step - 1, tenants: 3 }])).toBe("DB_1");
    expect(roomiest([{ shard: "DB_1", sizeBytes: 0, tenants: 2 }, { shard: "DB", sizeBytes: 0, tenants: 2 }])).toBe("DB");
    expect(() => roomiest([])).toThrow();
  });

  it("new tenants go where GET /shards says, and spread over both shards", async () => {
    const before = await shardList();
    const load = Object.fromEntries(before.shards.map((s) => [s.name, s]));
    const step = (name: string) => Math.floor(load[name]!.sizeBytes / PLACEMENT_SIZE_STEP);
    const gap = Math.abs(load["DB"]!.tenants - load["DB_1"]!.tenants);
    const landed: string[] = [];
    for (let i = 0; i < gap + 2; i++) {
      const expected = (await shardList()).nextPlacement;
      const res = await createTenant({ name: `spread-${i}` });
      expect(res.status).toBe(201);
      const created = await json<Json>(res);
      expect(created.shard).toBe(expected);
      expect(await placementOf(directoryDb(env), created.id)).toBe(expected);
      landed.push(created.shard);
    }
    if (step("DB") === step("DB_1")) {
      // Equal room (test databases stay within one size step): the emptier shard takes tenants
      // until both hold as many, then they alternate.
      expect(new Set(landed.slice(-2))).toEqual(new Set(["DB", "DB_1"]));
    } else {
      // One shard has a whole step more data: every new tenant goes to the other.
      const roomier = step("DB") < step("DB_1") ? "DB" : "DB_1";
      expect(landed.every((s) => s === roomier)).toBe(true);
    }
    const after = await shardList();
    for (const s of after.shards) expect(s.tenants).toBe(load[s.name]!.tenants + landed.filter((x) => x === s.name).length);
  });

  it("an admin may name the shard; the tenant's rows are there and not on the other", async () => {
    for (const shard of ["DB", "DB_1"]) {
      const res = await createTenant({ name: `named-${shard}`, shard });
      expect(res.status).toBe(201);
      const created = await json<Json>(res);
      expect(created.shard).toBe(shard);
      expect((await json<Json>(await admin(`/tenants/${created.id}`))).shard).toBe(shard);
      expect(await findTenant(shardDb(env, shard), created.id)).toMatchObject({ id: created.id, state: "active" });
      expect(await findTenant(shardDb(env, otherShard(shard)), created.id)).toBeUndefined();
      const { tenants } = await json<{ tenants: Json[] }>(await admin("/tenants"));
      expect(tenants.filter((t) => t.id === created.id)).toEqual([expect.objectContaining({ id: created.id, shard })]);
    }
  });

  it("an unknown shard is a 400 (invalidValue), and nothing is created", async () => {
    const name = `nowhere-${crypto.randomUUID()}`;
    for (const shard of ["DB_2", "db", "DIRECTORY", "ADMIN_TOKEN", ""]) {
      await expectAdminError(await createTenant({ name, shard }), 400, /^shard: .* is not a shard of this deployment/);
    }
    await expectAdminError(await createTenant({ name, shard: 1 }), 400, /^shard: shard must be a string/);
    const { tenants } = await json<{ tenants: Json[] }>(await admin("/tenants"));
    expect(tenants.some((t) => t.name === name)).toBe(false);
  });

  it("the cron records each shard's size for placement", async () => {
    await newTenant(undefined, { shard: "DB_1" });
    await runCron();
    const { shards } = await shardList();
    expect(shards.map((s) => s.name)).toEqual(["DB", "DB_1"]);
    for (const s of shards) {
      expect(s.sizeBytes).toBeGreaterThan(0);
      expect(s.sizeRefreshedAt).toEqual(expect.any(String));
    }
  });
});

describe("cross-shard jobs", () => {
  const onBothShards = async (settings: Json = {}) =>
    Promise.all(["DB", "DB_1"].map((shard) => provisionedTenant(settings, { shard })));

  it("the cron's scheduler syncs due tenants on both shards", async () => {
    const tenants = await onBothShards();
    const users = await Promise.all(tenants.map(({ t }) => scim(t).createUser()));
    await waitFor(async () => {
      await runCron();
      const views = await Promise.all(tenants.map(({ hub }) => hubView(hub)));
      return views.every((v, i) => v.users.has(users[i]!.id));
    });
    // Each hub got its own tenant's user only.
    for (const { hub } of tenants) expect((await hubView(hub)).users.size).toBe(1);
  });

  it("without a queue, one reconcile invocation runs the due tenants of both shards", async () => {
    const tenants = await onBothShards();
    const users = await Promise.all(tenants.map(({ t }) => scim(t).createUser()));
    // Made the most overdue tenant of their shards, so each shard's share (one tenant) is theirs.
    for (const { t } of tenants) {
      await (await tenantD1(t.id)).prepare("UPDATE sync_state SET next_run_at = '2000-01-01T00:00:00.000Z' WHERE tenant_id = ?").bind(t.id).run();
    }
    const report = await runReconcile(env, { maxTenants: 2 });
    expect(report.tenants.map((r) => r.tenantId).sort()).toEqual(tenants.map(({ t }) => t.id).sort());
    for (const [i, { hub }] of tenants.entries()) expect((await hubView(hub)).users.has(users[i]!.id)).toBe(true);
  });

  it("one queue batch with tenants on both shards runs each on its own shard", async () => {
    const tenants = await onBothShards();
    const users = await Promise.all(tenants.map(({ t }) => scim(t).createUser()));
    const { result } = await deliver(tenants.map(({ t }) => ({ tenantId: t.id, reason: "manual" })));
    expect(result.retryMessages).toEqual([]);
    for (const [i, { hub }] of tenants.entries()) expect((await hubView(hub)).users.has(users[i]!.id)).toBe(true);
  });

  it("dead letters are counted on the tenant's own shard", async () => {
    const tenants = await onBothShards();
    const dead = await deliver(tenants.map(({ t }) => ({ tenantId: t.id, reason: "cron" })), "edge-scim-sync-dlq");
    expect(dead.result.ackAll).toBe(true);
    for (const { t } of tenants) {
      expect((await hubJson(`/tenants/${t.id}/provisioning`)).deadLetters.count).toBe(1);
    }
  });

  it("audit pruning and offboarding purges reach tenants on both shards", async () => {
    const tenants = await Promise.all(["DB", "DB_1"].map((shard) => newTenant(undefined, { shard })));
    const old = new Date(Date.now() - 400 * 86_400_000).toISOString();
    for (const t of tenants) {
      const d1 = await tenantD1(t.id);
      await d1.prepare(`INSERT INTO audit_log (tenant_id, at, client_id, request_id, method, path, resource_type, resource_id, status, rewrites)
        VALUES (?, ?, 'c', 'r', 'DELETE', '/scim/v2/Users/x', 'User', 'x', 204, '[]')`).bind(t.id, old).run();
      await scim(t).createUser();
      expect((await admin(`/tenants/${t.id}`, { method: "DELETE" })).status).toBe(202);
    }
    const oldRows = async (tenantId: string) =>
      (await (await tenantD1(tenantId)).prepare("SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND at = ?").bind(tenantId, old).first<{ n: number }>())!.n;
    await waitFor(async () => {
      await runCron();
      const states = await Promise.all(tenants.map(async (t) => (await json<Json>(await admin(`/tenants/${t.id}`))).state));
      return states.every((s) => s === "deleted");
    });
    for (const t of tenants) {
      expect(await oldRows(t.id)).toBe(0);
      expect((await json<Json>(await admin(`/tenants/${t.id}`))).purge).toEqual({ done: true, remaining: {} });
      expect(await shardOf(t.id)).toMatch(/^DB(_1)?$/);
    }
  });
});
