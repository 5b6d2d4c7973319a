// Moving a tenant between shards through the real admin API and the real cron: every row arrives,
// writes made during the copy are not lost, the final switch refuses writes with 503 + Retry-After
// while reads go on, tokens issued before the move keep working, a cancelled move leaves nothing
// behind, and the source holds none of the tenant's rows afterwards. The tenant's sync goes on
// during the copy and pauses only for the switch, which waits for a running sync to end. The cron
// runs one move step per tick here (TENANT_MOVE_STEPS=1) and nothing hands a move on between ticks
// (no MOVE_QUEUE), so every state can be observed; the last tests show the move queue's hand-on.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { MOVE_BOOKKEEPING_TABLES, MOVED_TABLES, numberedAnew } from "../../src/tenancy/move/tables";
import { TENANT_TABLES, TRIGGER_PURGED_TABLES } from "../../src/tenancy/storage/tenant-purge";
import { admin, json } from "../support/http";
import { hubView, provisionedTenant, runSync, syncUntilIdle } from "../support/run-cron";
import { expectScimError, patchOp, scim, type Json } from "../support/scim";
import { resourceCounts } from "../support/resource-counts";
import { adminStep, d1, placement, tick } from "../support/move";
import { otherShard } from "../support/shard";
import { newTenant, requestToken, type TestTenant } from "../support/tenant";
import { waitFor } from "../support/wait";

const COUNTED = [...MOVED_TABLES.map((t) => t.name), ...TRIGGER_PURGED_TABLES];
/** The move's state straight from the directory (an admin GET would add an audit row). */
const moveState = async (tenantId: string) =>
  (await env.DB.prepare("SELECT state FROM tenant_moves WHERE tenant_id = ? ORDER BY started_at DESC LIMIT 1").bind(tenantId).first<{ state: string }>())?.state;

async function rowsOn(shard: string, tenantId: string, tables: readonly string[] = COUNTED): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await d1(shard).prepare(`SELECT count(*) AS n FROM "${table}" WHERE tenant_id = ?`).bind(tenantId).first<{ n: number }>();
    if (row!.n > 0) counts[table] = row!.n;
  }
  return counts;
}

async function exportAll(tenantId: string): Promise<Json[]> {
  const lines: Json[] = [];
  let path: string | null = `/tenants/${tenantId}/export`;
  while (path) {
    const res = await admin(path);
    expect(res.status, await res.clone().text()).toBe(200);
    const text = await res.text();
    if (text !== "") lines.push(...text.trimEnd().split("\n").map((l) => JSON.parse(l) as Json));
    const next = res.headers.get("X-Next-Cursor");
    path = next ? `/tenants/${tenantId}/export?cursor=${next}` : null;
  }
  return lines.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Tick until the move reaches `state` (each tick is one step; the bound only stops a hang). */
async function tickUntil(tenantId: string, state: string, maxTicks = 200): Promise<void> {
  for (let i = 0; i < maxTicks && (await moveState(tenantId)) !== state; i++) await tick();
  const row = await env.DB.prepare("SELECT state, error, progress FROM tenant_moves WHERE tenant_id = ? ORDER BY started_at DESC LIMIT 1").bind(tenantId).first();
  expect(row?.state, JSON.stringify(row)).toBe(state);
}

/** A tenant with users, a group with members, extension data, two clients, a long-lived token, a synced hub and audit. */
async function populatedTenant() {
  const { t, hub } = await provisionedTenant();
  const api = scim(t);
  const ext = "urn:ietf:params:scim:schemas:extension:Move:2.0:User";
  const declared = await admin(`/tenants/${t.id}/extensions/${encodeURIComponent(ext)}`, {
    method: "PUT", body: { description: "move test", attributes: [{ name: "costCode", type: "string" }] },
  });
  expect(declared.status, await declared.clone().text()).toBe(201);
  const users = [];
  for (let i = 0; i < 6; i++) {
    users.push(await api.createUser({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", ext],
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: `dept-${i}`, employeeNumber: String(1000 + i) },
      [ext]: { costCode: `cc-${i}` },
    }));
  }
  const group = await api.createGroup({ members: users.slice(0, 4).map((u) => ({ value: u.id })) });
  const second = await json<{ client_id: string }>(await admin(`/tenants/${t.id}/clients`, { body: { name: "second" } }));
  const longLived = await json<{ access_token: string }>(await admin(`/tenants/${t.id}/clients/${second.client_id}/tokens`, { body: { expires_in: 315360000 } }));
  expect((await admin(`/tenants/${t.id}/rate-limit`, { method: "PUT", body: { tier: "high" } })).status).toBe(200);
  await syncUntilIdle(t.id);
  return { t, hub, users, group, longLived: { ...t, token: longLived.access_token } as TestTenant };
}

describe("tenant moves between shards", () => {
  it("moves every table the purge knows, and each has its move triggers on every shard", async () => {
    expect(MOVED_TABLES.map((t) => t.name).sort()).toEqual([...TENANT_TABLES].sort());
    for (const shard of ["DB", "DB_1"]) {
      const { results } = await d1(shard).prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tenant_move_%'").all<{ name: string }>();
      const names = new Set(results.map((r) => r.name));
      for (const t of MOVED_TABLES) expect(names.has(`tenant_move_${t.name}_insert`), `${shard}: ${t.name}`).toBe(true);
    }
    // A copied AUTOINCREMENT number would clash with the destination's other tenants: every such
    // column is one the destination numbers anew.
    for (const t of MOVED_TABLES) {
      const { results } = await env.DB.prepare(`SELECT name, pk FROM pragma_table_info(?)`).bind(t.name).all<{ name: string; pk: number }>();
      const ddl = await env.DB.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").bind(t.name).first<string>("sql");
      const autoincrement = /AUTOINCREMENT/i.test(ddl!) ? results.find((c) => c.pk === 1)?.name : undefined;
      expect(numberedAnew(t), t.name).toBe(autoincrement);
    }
  });

  it("moves every row, keeps writes made during the copy, refuses writes only during the switch", async () => {
    const { t, hub, users, group, longLived } = await populatedTenant();
    const source = (await placement(t.id))!;
    const destination = otherShard(source);
    const api = scim(t);

    const auditBefore = await json<{ nextCursor: string }>(await admin(`/tenants/${t.id}/audit?count=1`));
    const logBefore = await json<{ nextCursor: string }>(await admin(`/tenants/${t.id}/provisioning/logs?limit=1`));
    const started = await adminStep(`/tenants/${t.id}/move`, "POST", { shard: destination });
    expect(started.status, await started.clone().text()).toBe(202);
    expect(await json(started)).toMatchObject({ tenantId: t.id, source, destination, state: "copying" });
    expect(await placement(t.id)).toBe(source);
    // A second move of the same tenant waits for this one.
    expect((await admin(`/tenants/${t.id}/move`, { body: { shard: destination } })).status).toBe(409);

    // Past users, groups and memberships: writes now change rows the copy already took.
    for (let i = 0; i < 60; i++) {
      const status = await json<Json>(await admin(`/tenants/${t.id}/move`));
      if (status.progress.tablesCopied > 10) break;
      await tick();
    }
    const during = await json<Json>(await admin(`/tenants/${t.id}/move`));
    expect(during.state).toBe("copying");
    expect(during.progress.tablesCopied).toBeGreaterThan(10);
    const added = await api.createUser();
    expect((await api.patch(`/Users/${users[0]!.id}`, patchOp({ op: "replace", path: "displayName", value: "Moved While Copying" }))).status).toBe(200);
    expect((await api.delete(`/Users/${users[5]!.id}`)).status).toBe(204);
    expect((await api.patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: added.id }] }))).status).toBe(204);
    expect((await scim(longLived).patch(`/Groups/${group.id}`, patchOp({ op: "remove", path: `members[value eq "${users[1]!.id}"]` }))).status).toBe(204);
    expect((await admin(`/tenants/${t.id}`, { method: "PATCH", body: { name: "Renamed While Copying" } })).status).toBe(200);
    // The tenant's sync goes on on the source while its rows are copied: the changes reach the hub,
    // and what the sync wrote (mirror, ownership, checkpoint) is journaled like any other write.
    expect((await syncUntilIdle(t.id)).at(-1)!.tenants[0]!.outcome).toBe("finished");
    const synced = await hubView(hub);
    expect(synced.users.has(added.id)).toBe(true);
    expect(synced.users.get(users[0]!.id)?.displayName).toBe("Moved While Copying");
    const hubIds = new Map([...synced.users].map(([ref, u]) => [ref, u.id]));
    const expected = await exportAll(t.id);

    await tickUntil(t.id, "switching");
    // The switch: writes are refused with 503 + Retry-After (a SCIM error body), reads go on.
    const refused = await api.post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `late-${crypto.randomUUID()}@x.test` });
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
    await expectScimError(refused, 503);
    expect((await api.get(`/Users/${users[0]!.id}`)).status).toBe(200);
    expect((await adminStep(`/tenants/${t.id}/move`, "DELETE")).status).toBe(409);
    // Its sync waits from here until the flip (no lease on the source, none on the destination).
    expect((await runSync(t.id)).tenants[0]?.outcome).toBe("busy");
    // Every other write path of the tenant is refused the same way: admin, token endpoint.
    const adminWrite = await admin(`/tenants/${t.id}/rate-limit`, { method: "PUT", body: { tier: "standard" } });
    expect(adminWrite.status).toBe(503);
    expect(adminWrite.headers.get("Retry-After")).toMatch(/^\d+$/);
    await expect(requestToken(t.clientId, t.clientSecret)).rejects.toThrow(/503/);
    const frozen = await rowsOn(source, t.id);

    // The flip: the tenant lives on the destination; the source's copy waits for its purge.
    await tickUntil(t.id, "purging");
    expect(await placement(t.id)).toBe(destination);
    // Every row arrived (the substring index rebuilt by its trigger).
    expect(await rowsOn(destination, t.id)).toEqual(frozen);
    // The destination's maintained counts were rebuilt by its triggers (copy, journal replay), not copied.
    const counts = await resourceCounts(d1(destination), t.id);
    expect(counts.maintained).toEqual(counts.actual);
    expect(await exportAll(t.id)).toEqual(expected);
    // A token naming the old shard is followed to the new one at once, before the purge is through.
    expect((await json<Json>(await api.get(`/Users/${users[0]!.id}`))).displayName).toBe("Moved While Copying");
    expect((await api.get(`/Users/${users[5]!.id}`)).status).toBe(404);

    await tickUntil(t.id, "done");
    // None of the tenant's rows is left behind, nor the move's bookkeeping.
    expect(await rowsOn(source, t.id, [...COUNTED, ...MOVE_BOOKKEEPING_TABLES.filter((n) => n !== "tenant_moves")])).toEqual({});
    expect(await rowsOn(destination, t.id, ["tenant_moving", "tenant_move_journal"])).toEqual({});
    expect(await d1(source).prepare("SELECT count(*) AS n FROM tenants WHERE id = ?").bind(t.id).first("n")).toBe(0);

    const status = await json<Json>(await admin(`/tenants/${t.id}/move`));
    expect(status).toMatchObject({ state: "done", source, destination, error: null, switchedAt: expect.any(String), finishedAt: expect.any(String) });
    expect(status.progress.copiedRows).toBeGreaterThan(0);
    expect((await json<Json>(await admin(`/tenants/${t.id}`))).name).toBe("Renamed While Copying");
    // The audit log moved, numbered anew: a cursor from before the move is refused in words, and
    // paging from the start works.
    const stale = await admin(`/tenants/${t.id}/audit?count=1&cursor=${auditBefore.nextCursor}`);
    expect(stale.status).toBe(400);
    expect((await json<Json>(stale)).error.message).toMatch(/moved to another shard.*start again without a cursor/);
    const fresh = await json<{ nextCursor: string }>(await admin(`/tenants/${t.id}/audit?count=1`));
    expect((await admin(`/tenants/${t.id}/audit?count=1&cursor=${fresh.nextCursor}`)).status).toBe(200);
    // So is the sync log's.
    const staleLog = await admin(`/tenants/${t.id}/provisioning/logs?limit=1&cursor=${logBefore.nextCursor}`);
    expect(staleLog.status).toBe(400);
    expect((await json<Json>(staleLog)).error.message).toMatch(/moved to another shard.*start again without a cursor/);
    const freshLog = await json<{ nextCursor: string }>(await admin(`/tenants/${t.id}/provisioning/logs?limit=1`));
    expect((await admin(`/tenants/${t.id}/provisioning/logs?limit=1&cursor=${freshLog.nextCursor}`)).status).toBe(200);

    // Tokens issued before the move name the old shard; they keep working, reads and writes.
    const found = await json<Json>(await api.get(`/Users?filter=${encodeURIComponent(`userName co "${String(added.userName).slice(0, 12)}"`)}`));
    expect(found.totalResults).toBe(1);
    expect((await scim(longLived).get(`/Users/${users[0]!.id}`)).status).toBe(200);
    const after = await api.createUser();
    expect(await d1(destination).prepare("SELECT count(*) AS n FROM users WHERE tenant_id = ? AND id = ?").bind(t.id, after.id).first("n")).toBe(1);
    expect(await rowsOn(source, t.id)).toEqual({});
    const countsAfter = await resourceCounts(d1(destination), t.id);
    expect(countsAfter.maintained).toEqual(countsAfter.actual);
    expect((await json<Json>(await api.get("/Users?count=0"))).totalResults).toBe(countsAfter.actual.User);
    // The sync runs on the new shard, from the moved checkpoint.
    const run = await syncUntilIdle(t.id);
    expect(run.at(-1)!.tenants[0]!.outcome).toBe("finished");
    // Changes made during the move reached the hub, each hub user once: the sync on the new shard
    // knew what the sync on the old one had created (the same hub ids, nothing created twice).
    const view = await hubView(hub);
    expect(view.users.has(added.id)).toBe(true);
    expect(view.users.has(after.id)).toBe(true);
    expect(view.raw.users.length).toBe(view.users.size);
    for (const [ref, id] of hubIds) expect(view.users.get(ref)?.id, ref).toBe(id);
  });

  it("the switch waits while a sync run holds the tenant's lease, and no lease is taken once it began", async () => {
    const { t } = await provisionedTenant();
    await scim(t).createUser();
    await syncUntilIdle(t.id);
    const source = (await placement(t.id))!;
    const destination = otherShard(source);
    // A sync run under way on the source: its lease is live (a run writes between its hub calls).
    const leaseUntil = new Date(Date.now() + 3_600_000).toISOString();
    await d1(source).prepare("UPDATE sync_state SET lease_id = 'run-in-progress', lease_until = ? WHERE tenant_id = ?").bind(leaseUntil, t.id).run();

    expect((await adminStep(`/tenants/${t.id}/move`, "POST", { shard: destination })).status).toBe(202);
    for (let i = 0; i < 200; i++) {
      const { progress } = await json<Json>(await admin(`/tenants/${t.id}/move`));
      if (progress.tablesCopied === progress.tables) break;
      await tick();
    }
    // Everything is copied, yet the move stays in copying as long as the run holds the lease.
    for (let i = 0; i < 5; i++) await tick();
    const waiting = await json<Json>(await admin(`/tenants/${t.id}/move`));
    expect(waiting.state).toBe("copying");
    expect(waiting.progress.tablesCopied).toBe(waiting.progress.tables);
    const write = await scim(t).post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `still-${crypto.randomUUID()}@x.test` });
    expect(write.status).toBe(201);

    // The run ends (its lease released): the next tick begins the switch, and from then on the
    // sync gets no lease on either shard until the flip.
    await d1(source).prepare("UPDATE sync_state SET lease_id = NULL, lease_until = NULL WHERE tenant_id = ?").bind(t.id).run();
    await tickUntil(t.id, "switching");
    expect((await runSync(t.id)).tenants[0]?.outcome).toBe("busy");
    await tickUntil(t.id, "done");
    expect(await placement(t.id)).toBe(destination);
    expect((await syncUntilIdle(t.id)).at(-1)!.tenants[0]!.outcome).toBe("finished");
  });

  it("a cancelled move drops the destination copy and leaves the tenant where it was", async () => {
    const t = await newTenant();
    const api = scim(t);
    for (let i = 0; i < 3; i++) await api.createUser();
    const source = (await placement(t.id))!;
    const destination = otherShard(source);
    expect((await adminStep(`/tenants/${t.id}/move`, "POST", { shard: destination })).status).toBe(202);
    for (let i = 0; i < 10; i++) await tick();
    expect(Object.keys(await rowsOn(destination, t.id)).length).toBeGreaterThan(0);

    const cancelled = await adminStep(`/tenants/${t.id}/move`, "DELETE");
    expect(cancelled.status).toBe(202);
    expect((await json<Json>(cancelled)).state).toBe("cancelling");
    // Writes on the source are normal again at once.
    await api.createUser();
    await tickUntil(t.id, "cancelled");
    expect(await placement(t.id)).toBe(source);
    expect(await rowsOn(destination, t.id, [...COUNTED, "tenant_moving"])).toEqual({});
    expect(await rowsOn(source, t.id, ["users", "tenant_moving", "tenant_move_journal"])).toEqual({ users: 4 });
    expect((await json<Json>(await api.get("/Users"))).totalResults).toBe(4);
    // And it can move later.
    expect((await adminStep(`/tenants/${t.id}/move`, "POST", { shard: destination })).status).toBe(202);
    await tickUntil(t.id, "done");
    expect((await json<Json>(await api.get("/Users"))).totalResults).toBe(4);
  });

  it("moves a tenant of many chunks, and replays a journal larger than one window before switching", async () => {
    const t = await newTenant();
    const api = scim(t);
    const group = await api.createGroup();
    const source = (await placement(t.id))!;
    const destination = otherShard(source);
    const now = new Date().toISOString();
    const insert = d1(source).prepare(
      "INSERT INTO users (tenant_id, id, user_name, user_name_lc, version, created_at, updated_at, doc) VALUES (?, ?, ?, ?, 1, ?, ?, ?)");
    const member = d1(source).prepare("INSERT INTO group_members (tenant_id, group_id, member_id, member_type, added_at) VALUES (?, ?, ?, 'User', ?)");
    const stmts = Array.from({ length: 450 }, (_, i) => {
      const id = crypto.randomUUID();
      return [insert.bind(t.id, id, `many${i}@x.test`, `many${i}@x.test`, now, now, JSON.stringify({ userName: `many${i}@x.test`, active: true })),
        member.bind(t.id, group.id, id, now)];
    }).flat();
    for (let i = 0; i < stmts.length; i += 300) await d1(source).batch(stmts.slice(i, i + 300));

    expect((await adminStep(`/tenants/${t.id}/move`, "POST", { shard: destination })).status).toBe(202);
    for (let i = 0; i < 60; i++) {
      if ((await json<Json>(await admin(`/tenants/${t.id}/move`))).progress.tablesCopied > 10) break;
      await tick();
    }
    // 450 rows changed behind the copy: more journal than one window, replayed while writes go on.
    await d1(source).prepare("UPDATE users SET display_name_lc = 'changed', updated_at = ? WHERE tenant_id = ?").bind(now, t.id).run();
    const journal = await d1(source).prepare("SELECT count(*) AS n FROM tenant_move_journal WHERE tenant_id = ?").bind(t.id).first<number>("n");
    expect(journal).toBe(450);
    const expected = await exportAll(t.id);
    await tickUntil(t.id, "switching");
    const status = await json<Json>(await admin(`/tenants/${t.id}/move`));
    expect(status.progress.replayedRows).toBeGreaterThanOrEqual(450 - 200);
    await tickUntil(t.id, "done");
    expect(await exportAll(t.id)).toEqual(expected);
    expect(await d1(destination).prepare("SELECT count(*) AS n FROM users WHERE tenant_id = ? AND display_name_lc = 'changed'").bind(t.id).first("n")).toBe(450);
    expect(await rowsOn(destination, t.id, ["users", "group_members", "user_search_keys"])).toEqual({ users: 450, group_members: 450, user_search_keys: 450 });
    expect(await rowsOn(source, t.id)).toEqual({});
  });

  it("a parked work item moves though the destination numbers another tenant's item the same: the number is the shard's, not the tenant's", async () => {
    const t = await newTenant();
    const source = (await placement(t.id))!;
    const destination = otherShard(source);
    const now = new Date().toISOString();
    const item = (db: D1Database, tenantId: string, resourceId: string, id: number) =>
      db.prepare(`INSERT INTO sync_work (id, tenant_id, kind, resource_id, member_id, pending, attempts, next_at, parked, last_error, created_at, updated_at)
        VALUES (?, ?, 'user', ?, '', 0, 7, ?, 1, 'hub refused the name', ?, ?)`).bind(id, tenantId, resourceId, now, now, now).run();
    const { max } = (await d1(destination).prepare("SELECT coalesce(max(id), 0) + 1000 AS max FROM sync_work").first<{ max: number }>())!;
    const other = crypto.randomUUID();
    await item(d1(source), t.id, "parked-user", max);
    await item(d1(source), t.id, "parked-user-2", max + 1);
    await item(d1(destination), other, "someone-elses", max);
    const pageBefore = await json<{ nextCursor: string }>(await admin(`/tenants/${t.id}/provisioning/parked?limit=1`));

    expect((await adminStep(`/tenants/${t.id}/move`, "POST", { shard: destination })).status).toBe(202);
    await tickUntil(t.id, "done");
    const parked = await json<{ items: Json[] }>(await admin(`/tenants/${t.id}/provisioning/parked`));
    expect(parked.items).toEqual([
      expect.objectContaining({ kind: "user", resourceId: "parked-user", attempts: 7, lastError: "hub refused the name" }),
      expect.objectContaining({ kind: "user", resourceId: "parked-user-2" }),
    ]);
    expect(parked.items[0]!.id).not.toBe(max);
    // The parked list's cursor from before the move named the old shard: refused, not misread.
    const stale = await admin(`/tenants/${t.id}/provisioning/parked?limit=1&cursor=${pageBefore.nextCursor}`);
    expect(stale.status).toBe(400);
    expect(await d1(destination).prepare("SELECT tenant_id, resource_id FROM sync_work WHERE id = ?").bind(max).first()).toEqual({ tenant_id: other, resource_id: "someone-elses" });
    await d1(destination).prepare("DELETE FROM sync_work WHERE tenant_id = ?").bind(other).run();
  });

  it("a copy that keeps failing ends the move as failed, with its error, and the tenant stays put", async () => {
    const t = await newTenant();
    const source = (await placement(t.id))!;
    const destination = otherShard(source);
    // A destination that cannot take the rows: a stray token row of another tenant with the same jti.
    const jti = await d1(source).prepare("SELECT jti FROM issued_tokens WHERE tenant_id = ?").bind(t.id).first<string>("jti");
    const now = new Date().toISOString();
    await d1(destination).prepare("INSERT INTO issued_tokens (tenant_id, jti, client_id, issued_at, expires_at) VALUES (?, ?, 'stray', ?, ?)")
      .bind(crypto.randomUUID(), jti, now, now).run();
    expect((await adminStep(`/tenants/${t.id}/move`, "POST", { shard: destination })).status).toBe(202);
    await tickUntil(t.id, "failed");
    const status = await json<Json>(await admin(`/tenants/${t.id}/move`));
    expect(status.error).toMatch(/UNIQUE/);
    expect(await placement(t.id)).toBe(source);
    expect(await rowsOn(destination, t.id, [...COUNTED, "tenant_moving"])).toEqual({});
    expect(await d1(destination).prepare("SELECT count(*) AS n FROM tenants WHERE id = ?").bind(t.id).first("n")).toBe(0);
    await scim(t).createUser();
    await d1(destination).prepare("DELETE FROM issued_tokens WHERE jti = ? AND client_id = 'stray'").bind(jti).run();
  });

  it("refuses a move to the same shard, to an unknown shard, of an unknown tenant, or with a bad body", async () => {
    const t = await newTenant();
    const here = (await placement(t.id))!;
    const refused = async (body: unknown, status: number, id = t.id) => {
      const res = await admin(`/tenants/${id}/move`, { body });
      expect(res.status, await res.clone().text()).toBe(status);
      expect(await json(res)).toEqual({ error: { status, message: expect.any(String) } });
    };
    await refused({ shard: here }, 400);
    await refused({ shard: "DB_9" }, 400);
    await refused({ shard: "KV" }, 400);
    await refused({ shard: 1 }, 400);
    await refused({ shard: otherShard(here), extra: true }, 400);
    await refused({ shard: otherShard(here) }, 404, crypto.randomUUID());
    expect((await admin(`/tenants/${t.id}/move`)).status).toBe(404);
    expect((await admin(`/tenants/${t.id}/move`, { method: "DELETE" })).status).toBe(404);
    expect(await moveState(t.id)).toBeUndefined();
  });
});

describe("the move queue", () => {
  it("a move that outruns the POST's own budget is handed on and finishes with no cron run", async () => {
    const { t } = await populatedTenant();
    const source = (await placement(t.id))!;
    const destination = otherShard(source);
    const expected = await exportAll(t.id);
    // Two steps for the POST's invocation (the queue's consumer then has the default budget).
    const started = await adminStep(`/tenants/${t.id}/move`, "POST", { shard: destination }, { ...env, TENANT_MOVE_STEPS: "2" });
    expect(started.status, await started.clone().text()).toBe(202);
    expect(await moveState(t.id)).toBe("copying");
    await waitFor(async () => (await moveState(t.id)) === "done");
    expect(await placement(t.id)).toBe(destination);
    expect(await exportAll(t.id)).toEqual(expected);
    expect(await rowsOn(source, t.id)).toEqual({});
  });

  it("the consumer hands on a move it could not finish in one invocation", async () => {
    const t = await newTenant();
    for (let i = 0; i < 3; i++) await scim(t).createUser();
    const destination = otherShard((await placement(t.id))!);
    // Started without the queue, one step: nothing but a cron run would carry it on.
    const started = await json<{ id: string }>(await adminStep(`/tenants/${t.id}/move`, "POST", { shard: destination }));
    expect(await moveState(t.id)).toBe("copying");
    // One consumer invocation of one step hands it on; the queue's own consumer then finishes it.
    const batch = createMessageBatch("edge-scim-moves", [{ id: "move-1", timestamp: new Date(), attempts: 1, body: { moveId: started.id } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, TENANT_MOVE_STEPS: "1" }, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["move-1"]);
    await waitFor(async () => (await moveState(t.id)) === "done");
    expect(await placement(t.id)).toBe(destination);
    expect((await json<Json>(await scim(t).get("/Users"))).totalResults).toBe(3);
  });
});
