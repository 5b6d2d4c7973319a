// The typed Device Hub client against the real emulator (env.DEVICE_HUB): every operation, error
// mapping for each injected fault kind, timeouts, and the budget wrappers around fetch and D1.
import { env } from "cloudflare:test";
import { waitFor } from "../support/wait";
import { describe, expect, it } from "vitest";
import { BudgetExceededError, countingD1, countingFetch, createCallCounter } from "../../src/sync/hub/budget";
import { createDeviceHubClient, DeviceHubError, isTransientHubError, parseRetryAfter } from "../../src/sync/hub/client";
import type { HubUserInput } from "../../src/sync/hub/schemas";

const BASE = "http://device-hub";

function hub(): Fetcher {
  if (!env.DEVICE_HUB) throw new Error("DEVICE_HUB binding missing (test/vitest.config.ts)");
  return env.DEVICE_HUB;
}
const hubFetch: typeof fetch = (input, init) => hub().fetch(input, init);

function setup(opts: { timeoutMs?: number; fetch?: typeof fetch } = {}) {
  const apiKey = `key-${crypto.randomUUID()}`;
  const client = createDeviceHubClient({ baseUrl: `${BASE}/`, apiKey, fetch: opts.fetch ?? hubFetch, timeoutMs: opts.timeoutMs });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await hub().fetch(`${BASE}/__control${path}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };
  return {
    apiKey,
    client,
    control,
    fault: async (spec: Record<string, unknown>) => expect((await control("POST", "/faults", spec)).status).toBe(201),
    calls: async () => (await control("GET", "/calls")).body as { total: number; byRoute: Record<string, number> },
  };
}

const user = (n: number | string, extra: Partial<HubUserInput> = {}): HubUserInput => ({
  externalRef: `scim-${n}`,
  userName: `user${n}@example.com`,
  displayName: `User ${n}`,
  ...extra,
});

async function failure(p: Promise<unknown>): Promise<DeviceHubError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DeviceHubError);
  return e as DeviceHubError;
}

describe("device hub client: users", () => {
  it("creates idempotently, looks up, updates, deactivates, and deletes", async () => {
    const { client } = setup();
    const first = await client.createUser(user(1, { email: "u1@example.com", department: "R&D", givenName: "Ada" }));
    expect(first).toMatchObject({ created: true, user: { externalRef: "scim-1", department: "R&D", active: true, version: 1 } });
    const again = await client.createUser(user(1));
    expect(again).toEqual({ created: false, user: first.user });
    expect(await client.findUserByUserName("USER1@EXAMPLE.COM")).toEqual(first.user);
    expect(await client.findUserByExternalRef("scim-1")).toEqual(first.user);
    expect(await client.findUserByExternalRef("scim-none")).toBeNull();
    expect(await client.getUser(first.user.id)).toEqual(first.user);
    expect(await client.getUser("usr_missing")).toBeNull();
    expect(await client.updateUser(first.user.id, { displayName: "Ada L." })).toMatchObject({ displayName: "Ada L.", version: 2 });
    expect(await client.deactivateUser(first.user.id)).toMatchObject({ active: false, version: 3 });
    expect(await client.deleteUser(first.user.id)).toBe("deleted");
    expect(await client.deleteUser(first.user.id)).toBe("alreadyGone");
    const missing = await failure(client.updateUser(first.user.id, { active: true }));
    expect(missing).toMatchObject({ kind: "notFound", status: 404, code: "not_found" });
  });

  it("pages through every user with the cursor", async () => {
    const { client } = setup();
    await client.createUsers(Array.from({ length: 7 }, (_, i) => user(i)));
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await client.listUsers({ cursor, limit: 3 });
      names.push(...page.items.map((u) => u.userName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(Array.from({ length: 7 }, (_, i) => `user${i}@example.com`));
  });

  it("batch-creates with typed per-item results and refuses > 100 users without calling", async () => {
    const { client, control, calls } = setup();
    await control("POST", "/api/v1/users", { userName: "owned@example.com" });
    await client.createUser(user(1));
    const results = await client.createUsers([user(1), user(2), user(3, { userName: "OWNED@example.com" })]);
    expect(results.map((r) => (r.ok ? ["ok", r.created] : ["err", r.code]))).toEqual([["ok", false], ["ok", true], ["err", "user_name_taken"]]);
    expect(results[2]).toMatchObject({ ok: false, status: 409, details: { userId: expect.stringMatching(/^usr_/) } });
    const before = (await calls()).total;
    expect(await failure(client.createUsers(Array.from({ length: 101 }, (_, i) => user(i))))).toMatchObject({ kind: "badRequest" });
    expect(await client.createUsers([])).toEqual([]);
    expect((await calls()).total).toBe(before);
  });

  it("maps a taken userName to conflict with the holder's hub id (hub-owned user)", async () => {
    const { client, control } = setup();
    const owned = await control("POST", "/api/v1/users", { userName: "owned@example.com" });
    const e = await failure(client.createUser(user(9, { userName: "owned@example.com" })));
    expect(e).toMatchObject({ kind: "conflict", status: 409, code: "user_name_taken", details: { userId: owned.body?.id, externalRef: null } });
    expect(isTransientHubError(e)).toBe(false);
  });
});

describe("device hub client: groups and members", () => {
  it("creates, finds, renames, lists and deletes groups", async () => {
    const { client } = setup();
    const { group, created } = await client.createGroup({ externalRef: "scim-g1", name: "Sales" });
    expect(created).toBe(true);
    expect(await client.createGroup({ externalRef: "scim-g1", name: "Sales" })).toEqual({ group, created: false });
    expect(await client.findGroupByExternalRef("scim-g1")).toEqual(group);
    expect(await client.findGroupByExternalRef("scim-none")).toBeNull();
    expect(await client.renameGroup(group.id, "Sales EMEA")).toMatchObject({ name: "Sales EMEA", version: 2 });
    expect((await client.listGroups({ limit: 10 })).items.map((g) => g.id)).toEqual([group.id]);
    expect(await client.deleteGroup(group.id)).toBe("deleted");
    expect(await client.getGroup(group.id)).toBeNull();
    expect(await client.deleteGroup(group.id)).toBe("alreadyGone");
  });

  it("adds and removes members in batches with per-item statuses", async () => {
    const { client, calls } = setup();
    const ids = (await client.createUsers(Array.from({ length: 100 }, (_, i) => user(i)))).map((r) => (r.ok ? r.user.id : "?"));
    const { group } = await client.createGroup({ externalRef: "scim-g", name: "G" });
    const added = await client.addGroupMembers(group.id, [...ids, "usr_pending"]);
    expect(added).toMatchObject({ added: 100, unknown: 1 });
    expect(added.results.at(-1)).toEqual({ userId: "usr_pending", status: "unknownUser" });
    expect((await client.addGroupMembers(group.id, ids.slice(0, 3))).added).toBe(0);
    const removed = await client.removeGroupMembers(group.id, [ids[0] ?? "", "usr_pending"]);
    expect(removed.results.map((r) => r.status)).toEqual(["removed", "unknownUser"]);
    const page = await client.listGroupMembers(group.id, { limit: 500 });
    expect(page.items.map((m) => m.userId)).toEqual(ids.slice(1));
    expect(page.nextCursor).toBeNull();
    expect(await failure(client.addGroupMembers(group.id, Array.from({ length: 1001 }, (_, i) => `u${i}`)))).toMatchObject({ kind: "badRequest" });
    expect(await client.removeGroupMembers(group.id, [])).toEqual({ removed: 0, unknown: 0, results: [] });
    expect((await calls()).byRoute).toMatchObject({ "POST /v1/groups/:id/members/add": 2, "POST /v1/groups/:id/members/remove": 1 });
  });
});

describe("device hub client: error mapping", () => {
  it.each([
    ["500", { kind: "error", status: 500 }, { kind: "server", status: 500, code: "internal" }, true],
    ["503", { kind: "error", status: 503, code: "unavailable" }, { kind: "server", status: 503, code: "unavailable" }, true],
    ["401", { kind: "error", status: 401 }, { kind: "unauthorized", status: 401, code: "unauthorized" }, false],
    ["drop", { kind: "drop" }, { kind: "server", status: 502, code: "bad_gateway" }, true],
    ["429", { kind: "rateLimit", retryAfterSeconds: 42 }, { kind: "rateLimited", status: 429, code: "rate_limited", retryAfterSeconds: 42 }, true],
    ["malformed", { kind: "malformed", body: '{"id":7}' }, { kind: "invalidResponse", status: 200 }, false],
    ["not JSON", { kind: "malformed", body: "<html>ok</html>" }, { kind: "invalidResponse", status: 200 }, false],
  ])("maps an injected %s to a typed DeviceHubError", async (_label, spec, expected, transient) => {
    const { client, fault } = setup();
    await fault(spec);
    const e = await failure(client.createUser(user(1)));
    expect(e).toMatchObject(expected);
    expect(e.message).toContain("POST /v1/users");
    expect(isTransientHubError(e)).toBe(transient);
  });

  it("does not follow a redirect: it is a hub error with the redirect's status, and the target is never called", async () => {
    const { client, fault, calls } = setup();
    await fault({ kind: "redirect", status: 302, location: `${BASE}/v1/users` });
    expect(await failure(client.listUsers())).toMatchObject({ kind: "invalidResponse", status: 302, message: expect.stringContaining("redirect") });
    expect((await calls()).total).toBe(1);
    await fault({ kind: "redirect", status: 307, location: `${BASE}/v1/users` });
    expect(await failure(client.createUser(user(1)))).toMatchObject({ status: 307 });
    expect((await client.listUsers()).items).toEqual([]);
  });

  it("reads at most a bounded body: a huge error keeps its status, a huge success is an invalid response", async () => {
    const { client, fault } = setup();
    await fault({ kind: "largeBody", status: 500, bytes: 32 * 1024 * 1024 });
    const e = await failure(client.listUsers());
    expect(e).toMatchObject({ kind: "server", status: 500 });
    expect(e.message.length).toBeLessThan(1000);
    await fault({ kind: "largeBody", status: 200, bytes: 32 * 1024 * 1024 });
    expect(await failure(client.listUsers())).toMatchObject({ kind: "invalidResponse", status: 200, message: expect.stringMatching(/larger than/) });
  });

  it("reports 429 without sleeping or retrying: exactly one call is made", async () => {
    const { client, fault, calls } = setup();
    await fault({ kind: "rateLimit", retryAfterSeconds: 3600 });
    // A client that slept for Retry-After would time this test out; one call proves no retry.
    expect(await failure(client.listUsers())).toMatchObject({ kind: "rateLimited", retryAfterSeconds: 3600 });
    expect((await calls()).total).toBe(1);
  });

  it("times out a held response and reports kind timeout", async () => {
    const { client, fault, control } = setup({ timeoutMs: 50 });
    await fault({ kind: "timeout", delayMs: 400, apply: true });
    const e = await failure(client.createGroup({ externalRef: "scim-g", name: "G" }));
    expect(e).toMatchObject({ kind: "timeout", message: expect.stringContaining("50 ms") });
    // apply=true: the change landed although we never saw the answer; the retry is idempotent.
    // Wait for the held request to land (a condition, not a sleep with a margin).
    await waitFor(async () => ((await control("GET", "/state")).body?.groups as unknown[]).length === 1);
    expect((await client.createGroup({ externalRef: "scim-g", name: "G" })).created).toBe(false);
  });

  it("maps a missing API key to unauthorized and a failing fetch to network", async () => {
    const anonymous = createDeviceHubClient({ baseUrl: BASE, apiKey: "", fetch: hubFetch });
    expect(await failure(anonymous.listGroups())).toMatchObject({ kind: "unauthorized", status: 401, code: "unauthorized" });
    const broken = createDeviceHubClient({ baseUrl: BASE, apiKey: "k", fetch: () => Promise.reject(new TypeError("connection refused")) });
    expect(await failure(broken.listGroups())).toMatchObject({ kind: "network", message: expect.stringContaining("connection refused") });
  });

  it("maps an out-of-contract 400 to badRequest", async () => {
    const { client } = setup();
    expect(await failure(client.listUsers({ limit: 501 }))).toMatchObject({ kind: "badRequest", status: 400, code: "invalid_request" });
  });

  it.each([
    ["7", 7],
    [null, 5],
    ["soon", 5],
    [new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), 30],
  ])("parses Retry-After %s", (header, seconds) => {
    expect(parseRetryAfter(header, Date.UTC(2030, 0, 1))).toBe(seconds);
  });
});

describe("call budgets", () => {
  it("counts hub calls and caps them at 6 in flight", async () => {
    const counter = createCallCounter();
    const { client, fault } = setup({ fetch: countingFetch(hubFetch, counter) });
    await fault({ kind: "timeout", delayMs: 30, apply: true, count: 20 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.createUser(user(i))));
    expect(counter).toMatchObject({ hubCalls: 20, hubInFlight: 0, peakHubInFlight: 6, hubQueued: 14 });
  });

  it("refuses hub calls past maxHubCalls without making them", async () => {
    const counter = createCallCounter({ maxHubCalls: 2 });
    const { client, calls } = setup({ fetch: countingFetch(hubFetch, counter) });
    await client.listUsers();
    await client.listGroups();
    await expect(client.listUsers()).rejects.toBeInstanceOf(BudgetExceededError);
    expect((await calls()).total).toBe(2);
  });

  it("counts D1 round trips (statements, batch, exec), not prepares, and enforces maxD1Calls", async () => {
    const counter = createCallCounter({ maxD1Calls: 4 });
    const db = countingD1(env.DB, counter);
    const one = db.prepare("SELECT ? AS n").bind(1);
    expect(await one.first("n")).toBe(1);
    const results = await db.batch([db.prepare("SELECT 1 AS a"), db.prepare("SELECT ? AS b").bind(2)]);
    expect(results.map((r) => r.results)).toEqual([[{ a: 1 }], [{ b: 2 }]]);
    await db.exec("SELECT 1");
    await db.prepare("SELECT 1").all();
    expect(counter).toMatchObject({ d1Calls: 4, d1Prepared: 4, d1ByMethod: { "statement.first": 1, batch: 1, exec: 1, "statement.all": 1 } });
    await expect(db.prepare("SELECT 1").run()).rejects.toBeInstanceOf(BudgetExceededError);
    expect(counter.d1Calls).toBe(4);
  });
});
