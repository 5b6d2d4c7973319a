// The Device Hub emulator through its HTTP surface (env.DEVICE_HUB): contract behaviour, faults,
// drift controls and call counters. Every test uses a fresh random API key = an empty workspace.
// Over 250 lines on purpose: the layout keeps one emulator test file; the describe blocks split it.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

type Json = Record<string, unknown>;
const BASE = "http://device-hub";

function hubFetcher(): Fetcher {
  if (!env.DEVICE_HUB) throw new Error("DEVICE_HUB binding missing (test/vitest.config.ts)");
  return env.DEVICE_HUB;
}

function workspace(key = `key-${crypto.randomUUID()}`) {
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await hubFetcher().fetch(`${BASE}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  return {
    key,
    send,
    get: (path: string) => send("GET", path),
    post: (path: string, body: unknown) => send("POST", path, body),
    patch: (path: string, body: unknown) => send("PATCH", path, body),
    del: (path: string) => send("DELETE", path),
    fault: async (spec: Json) => expect((await send("POST", "/__control/faults", spec)).status).toBe(201),
    state: async () => (await send("GET", "/__control/state")).body as { users: Json[]; groups: Json[]; members: Json[] },
    calls: async () => (await send("GET", "/__control/calls")).body as { total: number; byRoute: Record<string, number> },
  };
}

const user = (n: number | string, extra: Json = {}) => ({ externalRef: `scim-${n}`, userName: `user${n}@example.com`, displayName: `User ${n}`, ...extra });

describe("device hub emulator: auth and workspaces", () => {
  it("answers 401 with the contract error body without a bearer key", async () => {
    const res = await hubFetcher().fetch(`${BASE}/v1/users`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.stringContaining("bearer") } });
  });

  it("isolates each API key in its own workspace", async () => {
    const a = workspace();
    const b = workspace();
    expect((await a.post("/v1/users", user(1))).status).toBe(201);
    expect((await b.get("/v1/users")).body).toEqual({ items: [], nextCursor: null });
    expect((await a.get("/v1/users")).body.items).toHaveLength(1);
  });
});

describe("device hub emulator: users", () => {
  it("pages users with an opaque cursor and rejects limits above 500", async () => {
    const hub = workspace();
    const batch = await hub.post("/v1/users/batch", { users: Array.from({ length: 5 }, (_, i) => user(i)) });
    expect(batch.status).toBe(200);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await hub.get(`/v1/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as Json[]).map((u) => String(u.userName)));
      cursor = res.body.nextCursor as string | null;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `user${i}@example.com`));
    expect(await hub.get("/v1/users?limit=501")).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect(await hub.get("/v1/users?cursor=bogus")).toMatchObject({ status: 400, body: { error: { code: "invalid_cursor" } } });
  });

  it("creates idempotently by externalRef: 201 first, then 200 with the same user unchanged", async () => {
    const hub = workspace();
    const first = await hub.post("/v1/users", user(1, { email: "a@example.com", department: "R&D" }));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ externalRef: "scim-1", userName: "user1@example.com", active: true, version: 1, department: "R&D" });
    const again = await hub.post("/v1/users", user(1, { displayName: "Changed" }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await hub.state()).users).toHaveLength(1);
  });

  it("looks users up by userName case-insensitively and by externalRef", async () => {
    const hub = workspace();
    const created = (await hub.post("/v1/users", user("Mixed"))).body;
    expect((await hub.get("/v1/users?userName=USERMIXED%40EXAMPLE.COM")).body).toEqual({ items: [created], nextCursor: null });
    expect((await hub.get("/v1/users?externalRef=scim-Mixed")).body.items).toEqual([created]);
    expect((await hub.get("/v1/users?externalRef=nope")).body).toEqual({ items: [], nextCursor: null });
    expect((await hub.get(`/v1/users/${created.id}`)).body).toEqual(created);
  });

  it.each([
    ["another externalRef", { externalRef: "scim-other" }],
    ["a hub-owned user (no externalRef)", {}],
  ])("answers 409 user_name_taken when the userName belongs to %s", async (_label, owner) => {
    const hub = workspace();
    const holder = await hub.post("/__control/api/v1/users", { userName: "Taken@Example.com", ...owner });
    expect(holder.status).toBe(201);
    const res = await hub.post("/v1/users", { externalRef: "scim-new", userName: "taken@example.com" });
    expect(res).toMatchObject({
      status: 409,
      body: { error: { code: "user_name_taken", message: expect.any(String), details: { userId: holder.body.id } } },
    });
  });

  it("batch-creates with per-item results and refuses more than 100 users", async () => {
    const hub = workspace();
    await hub.post("/__control/api/v1/users", { userName: "owned@example.com" });
    await hub.post("/v1/users", user(1));
    const res = await hub.post("/v1/users/batch", {
      users: [user(1), user(2), { externalRef: "scim-3", userName: "owned@example.com" }, { externalRef: "scim-4" }],
    });
    expect(res.status).toBe(200);
    const results = res.body.results as Json[];
    expect(results.map((r) => [r.index, r.status])).toEqual([[0, 200], [1, 201], [2, 409], [3, 400]]);
    expect(results[2]).toMatchObject({ error: { code: "user_name_taken" } });
    expect(results[3]).toMatchObject({ error: { code: "invalid_request", message: expect.stringContaining("userName") } });
    const tooMany = await hub.post("/v1/users/batch", { users: Array.from({ length: 101 }, (_, i) => user(i)) });
    expect(tooMany).toMatchObject({ status: 400, body: { error: { code: "batch_too_large" } } });
  });

  it("patches fields, deactivates with active=false, bumps version only on change, and deletes", async () => {
    const hub = workspace();
    const u = (await hub.post("/v1/users", user(1))).body;
    const patched = await hub.patch(`/v1/users/${u.id}`, { displayName: "New", active: false });
    expect(patched).toMatchObject({ status: 200, body: { displayName: "New", active: false, version: 2 } });
    expect((await hub.patch(`/v1/users/${u.id}`, { displayName: "New" })).body.version).toBe(2);
    await hub.post("/v1/users", user(2));
    expect(await hub.patch(`/v1/users/${u.id}`, { userName: "USER2@example.com" })).toMatchObject({ status: 409, body: { error: { code: "user_name_taken" } } });
    expect(await hub.patch(`/v1/users/${u.id}`, { bogus: 1 })).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect((await hub.del(`/v1/users/${u.id}`)).status).toBe(204);
    expect(await hub.get(`/v1/users/${u.id}`)).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect((await hub.del(`/v1/users/${u.id}`)).status).toBe(404);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const hub = workspace();
    expect(await hub.send("POST", "/v1/users", "{nope")).toMatchObject({ status: 400, body: { error: { code: "invalid_request", message: expect.stringContaining("JSON") } } });
  });
});

describe("device hub emulator: groups and members", () => {
  it("creates groups idempotently by externalRef, looks them up, renames and deletes", async () => {
    const hub = workspace();
    const g = await hub.post("/v1/groups", { externalRef: "scim-g1", name: "Sales" });
    expect(g).toMatchObject({ status: 201, body: { externalRef: "scim-g1", name: "Sales", memberCount: 0, version: 1 } });
    expect(await hub.post("/v1/groups", { externalRef: "scim-g1", name: "Other" })).toMatchObject({ status: 200, body: { id: g.body.id, name: "Sales" } });
    expect((await hub.get("/v1/groups?externalRef=scim-g1")).body).toEqual({ items: [g.body], nextCursor: null });
    expect((await hub.patch(`/v1/groups/${g.body.id}`, { name: "Sales EMEA" })).body).toMatchObject({ name: "Sales EMEA", version: 2 });
    expect((await hub.del(`/v1/groups/${g.body.id}`)).status).toBe(204);
    expect((await hub.get("/v1/groups?externalRef=scim-g1")).body.items).toEqual([]);
  });

  it("adds and removes members in batches, idempotently, with per-item results for unknown users", async () => {
    const hub = workspace();
    const users = ((await hub.post("/v1/users/batch", { users: Array.from({ length: 100 }, (_, i) => user(i)) })).body.results as Json[]).map(
      (r) => (r.user as Json).id as string,
    );
    const g = (await hub.post("/v1/groups", { externalRef: "scim-g", name: "All" })).body;
    const add = await hub.post(`/v1/groups/${g.id}/members/add`, { userIds: [...users, "usr_missing"] });
    expect(add.status).toBe(200);
    expect(add.body).toMatchObject({ added: 100, unknown: 1 });
    expect((add.body.results as Json[]).at(-1)).toEqual({ userId: "usr_missing", status: "unknownUser" });
    const again = await hub.post(`/v1/groups/${g.id}/members/add`, { userIds: users.slice(0, 2) });
    expect(again.body).toEqual({ added: 0, unknown: 0, results: users.slice(0, 2).map((userId) => ({ userId, status: "alreadyMember" })) });
    const page = await hub.get(`/v1/groups/${g.id}/members?limit=60`);
    expect(page.body.items).toHaveLength(60);
    const rest = await hub.get(`/v1/groups/${g.id}/members?limit=60&cursor=${encodeURIComponent(String(page.body.nextCursor))}`);
    expect(rest.body).toMatchObject({ nextCursor: null });
    expect([...(page.body.items as Json[]), ...(rest.body.items as Json[])].map((m) => m.userId)).toEqual(users);
    const removed = await hub.post(`/v1/groups/${g.id}/members/remove`, { userIds: [users[0], users[0], "usr_missing"] });
    expect(removed.body).toEqual({
      removed: 1,
      unknown: 1,
      results: [
        { userId: users[0], status: "removed" },
        { userId: users[0], status: "notMember" },
        { userId: "usr_missing", status: "unknownUser" },
      ],
    });
    expect((await hub.get(`/v1/groups/${g.id}`)).body.memberCount).toBe(99);
  });

  it("limits member batches to 1..1000 ids and 404s an unknown group", async () => {
    const hub = workspace();
    const g = (await hub.post("/v1/groups", { externalRef: "scim-g", name: "G" })).body;
    const ids = Array.from({ length: 1001 }, (_, i) => `usr_${i}`);
    expect(await hub.post(`/v1/groups/${g.id}/members/add`, { userIds: ids })).toMatchObject({ status: 400, body: { error: { code: "batch_too_large" } } });
    expect(await hub.post(`/v1/groups/${g.id}/members/add`, { userIds: ids.slice(0, 1000) })).toMatchObject({ status: 200, body: { added: 0, unknown: 1000 } });
    expect(await hub.post(`/v1/groups/${g.id}/members/remove`, { userIds: [] })).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect(await hub.post("/v1/groups/grp_nope/members/add", { userIds: ["x"] })).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
  });

  it("drops memberships when a user is deleted", async () => {
    const hub = workspace();
    const u = (await hub.post("/v1/users", user(1))).body;
    const g = (await hub.post("/v1/groups", { externalRef: "scim-g", name: "G" })).body;
    await hub.post(`/v1/groups/${g.id}/members/add`, { userIds: [u.id] });
    await hub.del(`/v1/users/${u.id}`);
    expect((await hub.state()).members).toEqual([]);
  });
});

describe("device hub emulator: faults", () => {
  it("answers an injected 500 for the next N matching calls only, without applying them", async () => {
    const hub = workspace();
    await hub.fault({ kind: "error", count: 2, method: "POST", pathPrefix: "/v1/users" });
    expect((await hub.get("/v1/users")).status).toBe(200);
    expect(await hub.post("/v1/users", user(1))).toMatchObject({ status: 500, body: { error: { code: "internal" } } });
    expect((await hub.post("/v1/users", user(1))).status).toBe(500);
    expect((await hub.state()).users).toEqual([]);
    expect((await hub.post("/v1/users", user(1))).status).toBe(201);
  });

  it("answers 429 with the configured Retry-After", async () => {
    const hub = workspace();
    await hub.fault({ kind: "rateLimit", retryAfterSeconds: 7 });
    const res = await hub.get("/v1/groups");
    expect(res).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
    expect(res.headers.get("Retry-After")).toBe("7");
    expect((await hub.get("/v1/groups")).status).toBe(200);
  });

  it("holds the response for delayMs on a timeout fault (apply=false: 504, nothing applied)", async () => {
    const hub = workspace();
    await hub.fault({ kind: "timeout", delayMs: 150 });
    const started = Date.now();
    const res = await hub.post("/v1/users", user(1));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(res).toMatchObject({ status: 504, body: { error: { code: "timeout" } } });
    expect((await hub.state()).users).toEqual([]);
  });

  it("applies the change on a slow (timeout apply=true) call and then answers normally", async () => {
    const hub = workspace();
    await hub.fault({ kind: "timeout", delayMs: 50, apply: true });
    expect((await hub.post("/v1/users", user(1))).status).toBe(201);
    expect((await hub.state()).users).toHaveLength(1);
  });

  it("drop applies the change and loses the response; the retry is idempotent", async () => {
    const hub = workspace();
    await hub.fault({ kind: "drop" });
    expect(await hub.post("/v1/groups", { externalRef: "scim-g", name: "G" })).toMatchObject({ status: 502, body: { error: { code: "bad_gateway" } } });
    expect((await hub.state()).groups).toHaveLength(1);
    expect((await hub.post("/v1/groups", { externalRef: "scim-g", name: "G" })).status).toBe(200);
  });

  it("malformed answers a 2xx body that breaks the contract; faults can be listed and cleared", async () => {
    const hub = workspace();
    await hub.fault({ kind: "malformed", body: '{"items":"nope"}', pathPrefix: "/v1/groups" });
    await hub.fault({ kind: "error", status: 503, count: 5 });
    const listed = (await hub.get("/__control/faults")).body.faults as Json[];
    expect(listed.map((f) => [f.kind, f.remaining])).toEqual([["malformed", 1], ["error", 5]]);
    expect((await hub.get("/v1/groups")).body).toEqual({ items: "nope" });
    expect(await hub.get("/v1/groups")).toMatchObject({ status: 503, body: { error: { code: "internal" } } });
    expect((await hub.del("/__control/faults")).status).toBe(204);
    expect((await hub.get("/v1/groups")).status).toBe(200);
  });

  it("rejects an invalid fault spec with 400", async () => {
    const hub = workspace();
    expect(await hub.post("/__control/faults", { kind: "explode" })).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
  });
});

describe("device hub emulator: control API", () => {
  it("counts data-API calls per route (not control calls) and resets the counters", async () => {
    const hub = workspace();
    const g = (await hub.post("/v1/groups", { externalRef: "scim-g", name: "G" })).body;
    await hub.post(`/v1/groups/${g.id}/members/add`, { userIds: ["a"] });
    await hub.post(`/v1/groups/${g.id}/members/add`, { userIds: ["b"] });
    await hub.get(`/v1/groups/${g.id}`);
    await hub.fault({ kind: "error" });
    await hub.get("/v1/users");
    await hub.post("/__control/api/v1/users", { userName: "drift@example.com" });
    expect(await hub.calls()).toEqual({
      total: 5,
      byRoute: { "GET /v1/groups/:id": 1, "GET /v1/users": 1, "POST /v1/groups": 1, "POST /v1/groups/:id/members/add": 2 },
    });
    expect((await hub.del("/__control/calls")).status).toBe(204);
    expect(await hub.calls()).toEqual({ total: 0, byRoute: {} });
  });

  it("changes hub data behind the connector's back and dumps the whole state", async () => {
    const hub = workspace();
    const u = (await hub.post("/v1/users", user(1))).body;
    const g = (await hub.post("/v1/groups", { externalRef: "scim-g", name: "G" })).body;
    await hub.post(`/__control/api/v1/groups/${g.id}/members/add`, { userIds: [u.id] });
    await hub.send("PATCH", `/__control/api/v1/users/${u.id}`, { department: "Drifted", externalRef: null });
    const owned = (await hub.post("/__control/api/v1/users", { userName: "owned@example.com" })).body;
    const state = await hub.state();
    expect(state.users).toEqual([
      expect.objectContaining({ id: u.id, externalRef: null, department: "Drifted", version: 2 }),
      expect.objectContaining({ id: owned.id, externalRef: null, userName: "owned@example.com" }),
    ]);
    expect(state.groups).toEqual([expect.objectContaining({ id: g.id, memberCount: 1 })]);
    expect(state.members).toEqual([{ groupId: g.id, userId: u.id, addedAt: expect.any(String) }]);
    expect((await hub.calls()).total).toBe(2);
  });

  it("resets the workspace", async () => {
    const hub = workspace();
    await hub.post("/v1/users", user(1));
    await hub.fault({ kind: "error" });
    expect((await hub.post("/__control/reset", {})).status).toBe(204);
    expect(await hub.state()).toEqual({ users: [], groups: [], members: [] });
    expect(await hub.calls()).toEqual({ total: 0, byRoute: {} });
    expect((await hub.get("/v1/users")).status).toBe(200);
  });
});
