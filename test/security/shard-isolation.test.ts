// Isolation across shards: a SCIM request runs on the shard its token names and touches no other
// database (D1 round trips counted per binding); rows under the same tenant id on another shard
// are never seen; a tenant whose rows moved is followed with one placement read; tokens without a
// shard claim (issued before shards), Entra-issued tokens, both token endpoints and the admin API
// all reach the tenant's own shard; the deployment-wide listings list a tenant once, from the
// shard it is placed on.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { ENTRA_PROVISIONING_AUDIENCE } from "../../src/access/entra-tokens";
import { setPlacement } from "../../src/tenancy/storage/placement";
import { directoryDb, shardD1 } from "../../src/platform/d1/shards";
import { countingD1, createCallCounter, type CallCounter } from "../../src/sync/hub/budget";
import { decode, signWithRetiredKey } from "../support/forge";
import { admin, call, json, ORIGIN } from "../support/http";
import { scim, userPayload, type Json } from "../support/scim";
import { otherShard, shardOf } from "../support/shard";
import { newTenant, type TestTenant } from "../support/tenant";

type Counters = Record<"DB" | "DB_1", CallCounter>;

/** One SCIM request through the real fetch handler, D1 round trips counted per shard. */
async function counted(token: string, method: string, path: string, body?: unknown) {
  const counters: Counters = { DB: createCallCounter(), DB_1: createCallCounter() };
  const ctx = createExecutionContext();
  const request = new Request(`${ORIGIN}/scim/v2${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/scim+json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const counting = { ...env, DB: countingD1(env.DB, counters.DB), DB_1: countingD1(env.DB_1!, counters.DB_1) };
  const res = await worker.fetch(request, counting, ctx);
  await waitOnExecutionContext(ctx);
  return { res, calls: { DB: counters.DB.d1Calls, DB_1: counters.DB_1.d1Calls } };
}

const tenantOn = (shard: string) => newTenant(undefined, { shard });
const rawShard = (name: string) => shardD1(env, name);

/** A users row written straight into `shard` under the tenant's id (as a stray copy would be). */
async function strayUser(shard: string, tenantId: string, userName: string) {
  const now = new Date().toISOString();
  await rawShard(shard)
    .prepare("INSERT INTO users (tenant_id, id, user_name, user_name_lc, version, created_at, updated_at, doc) VALUES (?, ?, ?, ?, 1, ?, ?, ?)")
    .bind(tenantId, crypto.randomUUID(), userName, userName.toLowerCase(), now, now, JSON.stringify({ userName, active: true }))
    .run();
}

const userNames = async (res: Response) => (await json<{ Resources: Json[] }>(res)).Resources.map((r) => r.userName as string);

/** Copy the tenant's rows of `table` (those whose `column` is its id) from one shard to the other, as they are. */
async function copyRows(tenantId: string, from: string, to: string, table: string, column: string) {
  const { results } = await rawShard(from).prepare(`SELECT * FROM ${table} WHERE ${column} = ?`).bind(tenantId).all<Json>();
  for (const row of results) {
    const columns = Object.keys(row);
    await rawShard(to)
      .prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
      .bind(...columns.map((c) => row[c]))
      .run();
  }
}

/**
 * Move a tenant's rows by hand, through the storage layer: copy the rows a SCIM request needs to
 * `to`, point the placement there, then remove the tenant from the source shard.
 */
async function moveByHand(tenantId: string, from: string, to: string) {
  await copyRows(tenantId, from, to, "tenants", "id");
  for (const table of ["scim_clients", "issued_tokens", "users"]) await copyRows(tenantId, from, to, table, "tenant_id");
  await setPlacement(directoryDb(env), tenantId, to, new Date().toISOString());
  await rawShard(from).batch([
    ...["users", "issued_tokens", "scim_clients"].map((t) => rawShard(from).prepare(`DELETE FROM ${t} WHERE tenant_id = ?`).bind(tenantId)),
    rawShard(from).prepare("DELETE FROM tenants WHERE id = ?").bind(tenantId),
  ]);
}

describe("a request touches its tenant's shard only", () => {
  for (const shard of ["DB", "DB_1"] as const) {
    it(`a token for a tenant on ${shard}: one round trip to ${shard}, none to ${otherShard(shard)}, reads and writes`, async () => {
      const t = await tenantOn(shard);
      expect(decode(t.token).claims.shard).toBe(shard);
      await scim(t).createUser(); // warms the per-isolate caches (schemas, rate-limit tier)
      const read = await counted(t.token, "GET", "/Users");
      expect(read.res.status).toBe(200);
      expect(read.calls).toEqual({ [shard]: 1, [otherShard(shard)]: 0 });
      const write = await counted(t.token, "POST", "/Users", userPayload());
      expect(write.res.status).toBe(201);
      expect(write.calls[otherShard(shard) as "DB" | "DB_1"]).toBe(0);
    });
  }

  it("rows under the same tenant id on the other shard are never seen", async () => {
    for (const shard of ["DB", "DB_1"]) {
      const t = await tenantOn(shard);
      const mine = await scim(t).createUser();
      const stray = `stray-${crypto.randomUUID()}@example.com`;
      await strayUser(otherShard(shard), t.id, stray);
      const list = await scim(t).get("/Users");
      expect(await userNames(list)).toEqual([mine.userName]);
      const filtered = await scim(t).get(`/Users?filter=${encodeURIComponent(`userName eq "${stray}"`)}`);
      expect((await json<Json>(filtered)).totalResults).toBe(0);
      // The stray name is free on the tenant's own shard: a create with it succeeds there.
      expect((await scim(t).post("/Users", userPayload({ userName: stray }))).status).toBe(201);
    }
  });

  it("tenants on different shards cannot reach each other's resources", async () => {
    const a = await tenantOn("DB");
    const b = await tenantOn("DB_1");
    const ua = await scim(a).createUser();
    const ub = await scim(b).createUser();
    expect((await scim(a).get(`/Users/${ub.id}`)).status).toBe(404);
    expect((await scim(b).get(`/Users/${ua.id}`)).status).toBe(404);
    expect((await scim(b).delete(`/Users/${ua.id}`)).status).toBe(404);
    expect((await scim(a).get(`/Users/${ua.id}`)).status).toBe(200);
  });
});

describe("a tenant that moved is followed", () => {
  it("a token minted on DB_1 for a tenant now placed on DB reads the placement once and continues there", async () => {
    const t: TestTenant = await tenantOn("DB_1");
    const user = await scim(t).createUser();
    await moveByHand(t.id, "DB_1", "DB");
    expect(await shardOf(t.id)).toBe("DB");

    // DB_1: the check finds no tenant (one round trip); DB: the placement, then the same batch.
    const first = await counted(t.token, "GET", `/Users/${user.id}`);
    expect(first.res.status).toBe(200);
    expect((await json<Json>(first.res)).userName).toBe(user.userName);
    expect(first.calls).toEqual({ DB_1: 1, DB: 2 });
    // This isolate remembers: the next request goes straight to DB.
    const second = await counted(t.token, "GET", `/Users/${user.id}`);
    expect(second.res.status).toBe(200);
    expect(second.calls).toEqual({ DB_1: 0, DB: 1 });

    // Writes land on the tenant's shard, not on the one the token names.
    const created = await scim(t).createUser();
    expect(await rawShard("DB").prepare("SELECT 1 AS x FROM users WHERE tenant_id = ? AND id = ?").bind(t.id, created.id).first()).toEqual({ x: 1 });
    expect(await rawShard("DB_1").prepare("SELECT 1 AS x FROM users WHERE tenant_id = ?").bind(t.id).first()).toBeNull();

    // Revocation still holds after the move (the admin API reaches the tenant on DB).
    const jti = decode(t.token).claims.jti as string;
    expect((await admin(`/tenants/${t.id}/tokens/${jti}`, { method: "DELETE" })).status).toBe(204);
    expect((await scim(t).get(`/Users/${user.id}`)).status).toBe(401);
  });

  it("a write is the first D1 call: it is refused on the old shard, then runs once on the new one", async () => {
    const t = await tenantOn("DB");
    await scim(t).createUser();
    await moveByHand(t.id, "DB", "DB_1");
    const payload = userPayload();
    const res = await counted(t.token, "POST", "/Users", payload);
    expect(res.res.status, await res.res.clone().text()).toBe(201);
    const rows = async (shard: string) =>
      (await rawShard(shard).prepare("SELECT count(*) AS n FROM users WHERE tenant_id = ? AND user_name = ?").bind(t.id, payload.userName).first<{ n: number }>())!.n;
    expect({ DB: await rows("DB"), DB_1: await rows("DB_1") }).toEqual({ DB: 0, DB_1: 1 });
  });

  it("a revoked token on the claimed shard costs no placement read", async () => {
    const t = await tenantOn("DB_1");
    await scim(t).createUser();
    const jti = decode(t.token).claims.jti as string;
    expect((await admin(`/tenants/${t.id}/tokens/${jti}`, { method: "DELETE" })).status).toBe(204);
    const res = await counted(t.token, "GET", "/Users");
    expect(res.res.status).toBe(401);
    expect(res.calls.DB_1).toBe(1);
    expect(res.calls.DB).toBe(0);
  });
});

describe("every way in reaches the tenant's shard", () => {
  it("a token without a shard claim (issued before shards) finds a tenant on DB_1 through the placement", async () => {
    const t = await tenantOn("DB_1");
    const user = await scim(t).createUser();
    const { shard: _shard, ...claims } = decode(t.token).claims as Json;
    const legacy = await signWithRetiredKey(claims);
    const res = await counted(legacy, "GET", `/Users/${user.id}`);
    expect(res.res.status).toBe(200);
    expect((await json<Json>(res.res)).userName).toBe(user.userName);
    expect(res.calls.DB_1).toBeGreaterThanOrEqual(1);
  });

  it("both token endpoints sign the client's shard into the token", async () => {
    for (const shard of ["DB", "DB_1"]) {
      const t = await tenantOn(shard);
      const eptura = await call("/api/V1/token", {
        method: "POST",
        rawBody: new URLSearchParams({ scimClientId: t.clientId, scimClientSecret: t.clientSecret, grantType: "password" }).toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      expect(eptura.status).toBe(200);
      const token = (await json<{ accessToken: string }>(eptura)).accessToken;
      expect(decode(token).claims).toMatchObject({ tid: t.id, shard });
      expect(decode(t.token).claims).toMatchObject({ tid: t.id, shard });
      expect((await scim({ ...t, token }).get("/Users")).status).toBe(200);
    }
  });

  it("an Entra-issued token reaches a tenant on DB_1; one Entra tenant cannot be trusted by two tenants on different shards", async () => {
    const entraTenantId = crypto.randomUUID();
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const kid = `kid-${crypto.randomUUID().slice(0, 8)}`;
    const jwks = `http://device-hub/__test/jwks/${crypto.randomUUID()}`;
    const put = await env.DEVICE_HUB!.fetch(jwks, {
      method: "PUT",
      body: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }] }),
    });
    expect(put.status).toBe(204);
    const t = await tenantOn("DB_1");
    const mine = await scim(t).createUser();
    expect((await admin(`/tenants/${t.id}/entra-tokens`, { method: "PUT", body: { entraTenantId, jwksUrl: jwks } })).status).toBe(200);
    const rival = await tenantOn("DB");
    expect((await admin(`/tenants/${rival.id}/entra-tokens`, { method: "PUT", body: { entraTenantId, jwksUrl: jwks } })).status).toBe(409);

    const entraToken = await new SignJWT({ tid: entraTenantId, appid: "00000014-0000-0000-c000-000000000000", uti: crypto.randomUUID() })
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(`https://sts.windows.net/${entraTenantId}/`)
      .setAudience(ENTRA_PROVISIONING_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
      .sign(privateKey);
    const res = await counted(entraToken, "GET", "/Users");
    expect(res.res.status, await res.res.clone().text()).toBe(200);
    expect(await userNames(res.res)).toEqual([mine.userName]);
    // The trust and the tenant's shard: one directory read; the data: one read on DB_1.
    expect(res.calls).toEqual({ DB: 1, DB_1: 1 });

    expect((await admin(`/tenants/${t.id}/entra-tokens`, { method: "DELETE" })).status).toBe(204);
    expect((await counted(entraToken, "GET", "/Users")).res.status).toBe(401);
  });

  it("the admin API works on tenants of both shards and writes their rows to their shard", async () => {
    for (const shard of ["DB", "DB_1"]) {
      const t = await tenantOn(shard);
      const client = await json<{ client_id: string }>(await admin(`/tenants/${t.id}/clients`, { body: { name: "second" } }));
      const onShard = async (name: string) =>
        rawShard(name).prepare("SELECT tenant_id FROM scim_clients WHERE client_id = ?").bind(client.client_id).first<{ tenant_id: string }>();
      expect(await onShard(shard)).toEqual({ tenant_id: t.id });
      expect(await onShard(otherShard(shard))).toBeNull();
      // The directory knows the client id, whichever shard holds the client.
      expect(await env.DB.prepare("SELECT tenant_id FROM client_directory WHERE client_id = ?").bind(client.client_id).first()).toEqual({ tenant_id: t.id });
      const { clients } = await json<{ clients: Json[] }>(await admin(`/tenants/${t.id}/clients`));
      expect(clients.map((c) => c.client_id).sort()).toEqual([t.clientId, client.client_id].sort());
      expect((await admin(`/tenants/${t.id}/rate-limit`, { method: "PUT", body: { tier: "high" } })).status).toBe(200);
      expect((await json<Json>(await admin(`/tenants/${t.id}/rate-limit`))).tier).toBe("high");
      expect((await admin(`/tenants/${t.id}/export`)).status).toBe(200);
      expect((await json<Json>(await admin(`/tenants/${t.id}`))).shard).toBe(shard);
    }
    expect((await admin(`/tenants/${crypto.randomUUID()}/clients`)).status).toBe(404);
  });
});

describe("deployment-wide listings read every shard and trust the placement", () => {
  /** Copies of the tenant's row and its issued tokens on its other shard, as a move leaves them until the purge. */
  async function leftBehindCopy(tenantId: string, from: string) {
    for (const [table, column] of [["tenants", "id"], ["scim_clients", "tenant_id"], ["issued_tokens", "tenant_id"]] as const) {
      await copyRows(tenantId, from, otherShard(from), table, column);
    }
  }

  it("the tenant list and the expiring-token report list a tenant once, from its placed shard, with a copy left on the other", async () => {
    for (const shard of ["DB", "DB_1"]) {
      const t = await tenantOn(shard);
      const issued = await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`, { body: { expires_in: 10 * 86_400 } });
      expect(issued.status).toBe(201);
      const jti = (await json<Json>(issued)).jti;
      await leftBehindCopy(t.id, shard);

      const tenants = (await json<{ tenants: Json[] }>(await admin("/tenants"))).tenants.filter((x) => x.id === t.id);
      expect(tenants.map((x) => x.shard)).toEqual([shard]);
      const expiring = (await json<{ tokens: Json[] }>(await admin("/tokens/expiring"))).tokens.filter((x) => x.tenant_id === t.id);
      expect(expiring.map((x) => x.jti)).toEqual([jti]);
    }
  });
});
