// Issue 23, finding 3: during a tenant move only the tenant's live placement answers for its
// tokens. The destination holds a tenants row and lagging copies of the clients and tokens from
// the move's start; a token whose shard claim names the destination (minted there before an
// earlier move back) must neither be served by that copy (revoked or offboarded on the source:
// 401 at once; reads see the whole directory, writes land on the source) nor be refused by it
// (a valid token keeps working through start → copy → switch, and after a cancel).
// Real fetch and scheduled handlers, two shards, one move step per cron tick.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, call, json } from "../support/http";
import { scim, type Json } from "../support/scim";
import { otherShard } from "../support/shard";
import { adminStep, d1, placement, tick } from "../support/move";
import { newTenant, requestToken, type TestTenant } from "../support/tenant";

// Enough steps for a small tenant's whole move inside the POST's own waitUntil.
const wholeMoveEnv = { ...env, TENANT_MOVE_STEPS: "100000", MOVE_QUEUE: undefined };
const moveRow = async (tenantId: string) =>
  env.DB.prepare("SELECT state, error, progress FROM tenant_moves WHERE tenant_id = ? ORDER BY started_at DESC LIMIT 1").bind(tenantId)
    .first<{ state: string; error: string | null; progress: string }>();

async function tickUntil(tenantId: string, done: (row: { state: string; progress: string }) => boolean, maxTicks = 200): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    const row = await moveRow(tenantId);
    if (row && done(row)) return;
    await tick();
  }
  throw new Error(`move did not get there: ${JSON.stringify(await moveRow(tenantId))}`);
}
const tablesCopied = (row: { progress: string }) => (JSON.parse(row.progress) as { table: number }).table;

/** A whole move in one admin call (its waitUntil runs it through). */
async function moveWhole(tenantId: string, shard: string): Promise<void> {
  const res = await adminStep(`/tenants/${tenantId}/move`, "POST", { shard }, wholeMoveEnv);
  expect(res.status, await res.clone().text()).toBe(202);
  expect((await moveRow(tenantId))?.state).toBe("done");
  expect(await placement(tenantId)).toBe(shard);
}

const jtiOf = (token: string) => (JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { jti: string }).jti;
const shardClaimOf = (token: string) => (JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>);

/**
 * A tenant with `users` users that lived on B (where `viaB` was minted: its shard claim names B),
 * moved back to A, and now starts moving to B again (state copying, nothing copied yet).
 */
async function tenantMovingBackToB(users: number) {
  const t = await newTenant();
  const api = scim(t);
  for (let i = 0; i < users; i++) await api.createUser();
  const a = (await placement(t.id))!;
  const b = otherShard(a);
  await moveWhole(t.id, b);
  const viaB: TestTenant = { ...t, token: await requestToken(t.clientId, t.clientSecret) };
  expect(JSON.stringify(shardClaimOf(viaB.token))).toContain(b);
  await moveWhole(t.id, a);
  const started = await adminStep(`/tenants/${t.id}/move`, "POST", { shard: b });
  expect(started.status, await started.clone().text()).toBe(202);
  expect((await moveRow(t.id))?.state).toBe("copying");
  // The destination already holds the tenants row (the move's first step).
  expect(await d1(b).prepare("SELECT count(*) AS n FROM tenants WHERE id = ?").bind(t.id).first("n")).toBe(1);
  return { t, viaB, a, b };
}

const SCIM_BASES = ["/scim/v2", "/scim/v1", "/scim/api/V1"];
const newUserBody = () => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `m-${crypto.randomUUID()}@x.test` });

async function expectRefused(token: string) {
  for (const base of SCIM_BASES) {
    const read = await call(`${base}/Users`, { token });
    expect(read.status, `${base} GET: ${await read.clone().text()}`).toBe(401);
    const write = await call(`${base}/Users`, { token, body: newUserBody() });
    expect(write.status, `${base} POST: ${await write.clone().text()}`).toBe(401);
  }
}

describe("the token gate follows the live placement during a move", () => {
  it("a valid token naming the destination keeps working across start → copy → switch, and reads the whole directory", async () => {
    const { t, viaB, a, b } = await tenantMovingBackToB(3);
    const api = scim(viaB);
    const seen = async () => {
      const res = await api.get("/Users");
      expect(res.status, await res.clone().text()).toBe(200);
      return (await json<Json>(res)).totalResults as number;
    };
    // Right after the start (destination has the tenants row, no clients or tokens yet).
    expect(await seen()).toBe(3);
    // Through every copy step: the partial copy never answers.
    let expected = 3;
    for (let i = 0; i < 200; i++) {
      const row = (await moveRow(t.id))!;
      if (row.state !== "copying") break;
      expect(await seen()).toBe(expected);
      // A write made with it during the copy lands on the live placement (the source).
      if (i % 5 === 2) {
        const created = await api.post("/Users", newUserBody());
        expect(created.status, await created.clone().text()).toBe(201);
        expected++;
        const { id } = await json<Json>(created);
        expect(await d1(a).prepare("SELECT count(*) AS n FROM users WHERE tenant_id = ? AND id = ?").bind(t.id, id).first("n")).toBe(1);
      }
      await tick();
    }
    await tickUntil(t.id, (r) => r.state !== "copying");
    expect(await seen()).toBe(expected);
    await tickUntil(t.id, (r) => r.state === "done");
    expect(await placement(t.id)).toBe(b);
    expect(await seen()).toBe(expected);
    expect((await api.post("/Users", newUserBody())).status).toBe(201);
  });

  it("a token revoked during the copy is refused at once on every base path, though the destination's copy still says it is live", async () => {
    const { t, viaB, b } = await tenantMovingBackToB(2);
    // Past the credentials tables: the destination holds a live copy of the token.
    await tickUntil(t.id, (r) => tablesCopied(r) >= 3);
    expect(await d1(b).prepare("SELECT revoked_at FROM issued_tokens WHERE jti = ?").bind(jtiOf(viaB.token)).first("revoked_at")).toBeNull();
    const revoked = await admin(`/tenants/${t.id}/tokens/${jtiOf(viaB.token)}`, { method: "DELETE" });
    expect(revoked.status, await revoked.clone().text()).toBe(204);
    await expectRefused(viaB.token);
    // Nothing it tried was written on either shard.
    for (const shard of ["DB", "DB_1"]) {
      expect(await d1(shard).prepare("SELECT count(*) AS n FROM users WHERE tenant_id = ? AND user_name LIKE 'm-%'").bind(t.id).first("n")).toBe(0);
    }
    // The other token (naming the source) is unaffected; the move finishes and the token stays dead.
    expect((await scim(t).get("/Users")).status).toBe(200);
    await tickUntil(t.id, (r) => r.state === "done");
    await expectRefused(viaB.token);
  });

  it("offboarding during the copy refuses tokens naming the destination at once", async () => {
    const { t, viaB } = await tenantMovingBackToB(2);
    await tickUntil(t.id, (r) => tablesCopied(r) >= 3);
    const offboarded = await admin(`/tenants/${t.id}`, { method: "DELETE" });
    expect(offboarded.status, await offboarded.clone().text()).toBe(202);
    await expectRefused(viaB.token);
    await expectRefused(t.token);
  });

  it("a cancelled move: the token naming the destination keeps working while the copy is dropped, and a revocation then holds", async () => {
    const { t, viaB, b } = await tenantMovingBackToB(2);
    await tickUntil(t.id, (r) => tablesCopied(r) >= 3);
    const cancelled = await adminStep(`/tenants/${t.id}/move`, "DELETE");
    expect(cancelled.status, await cancelled.clone().text()).toBe(202);
    const api = scim(viaB);
    for (let i = 0; i < 200 && (await moveRow(t.id))!.state === "cancelling"; i++) {
      const res = await api.get("/Users");
      expect(res.status, await res.clone().text()).toBe(200);
      expect((await json<Json>(res)).totalResults).toBe(2);
      await tick();
    }
    expect((await moveRow(t.id))!.state).toBe("cancelled");
    expect(await d1(b).prepare("SELECT count(*) AS n FROM tenants WHERE id = ?").bind(t.id).first("n")).toBe(0);
    expect((await api.get("/Users")).status).toBe(200);
    expect((await admin(`/tenants/${t.id}/tokens/${jtiOf(viaB.token)}`, { method: "DELETE" })).status).toBe(204);
    await expectRefused(viaB.token);
  });
});
