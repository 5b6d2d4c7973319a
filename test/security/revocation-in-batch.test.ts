// The revocation check costs no round trip of its own: it rides in the request's first D1 batch
// (reads) or guards the write batch. Round trips are counted with the sync's own D1 wrapper around
// the real binding; revocation must still take effect on the very next request, reads and writes.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { countingD1, createCallCounter } from "../../src/sync/hub/budget";
import { admin, json, ORIGIN } from "../support/http";
import { expectScimError, patchOp, scim, userPayload, type Json } from "../support/scim";
import { newTenant, requestToken, type TestTenant } from "../support/tenant";

/** One request through the real fetch handler, D1 round trips counted until the response. */
async function counted(t: TestTenant, method: string, path: string, body?: unknown) {
  const counter = createCallCounter();
  const ctx = createExecutionContext();
  const request = new Request(`${ORIGIN}/scim/v2${path}`, {
    method,
    headers: { Authorization: `Bearer ${t.token}`, ...(body ? { "Content-Type": "application/scim+json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  // Every shard counted: the tenant may be on either, and the directory must not be read either.
  const res = await worker.fetch(request, { ...env, DB: countingD1(env.DB, counter), DB_1: countingD1(env.DB_1!, counter) }, ctx);
  // A write's audit row is queued (waitUntil) before the response returns, so it is counted too.
  const roundTrips = counter.d1Calls;
  await waitOnExecutionContext(ctx);
  return { res, roundTrips };
}

const revokeToken = async (t: TestTenant) => {
  const jti = JSON.parse(atob(t.token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).jti as string;
  expect((await admin(`/tenants/${t.id}/tokens/${jti}`, { method: "DELETE" })).status).toBe(204);
};

async function userCount(t: TestTenant, token: string, userName: string): Promise<number> {
  const filter = encodeURIComponent(`userName eq "${userName}"`);
  const res = await scim({ ...t, token }).get(`/Users?filter=${filter}`);
  expect(res.status).toBe(200);
  return (await json<{ totalResults: number }>(res)).totalResults;
}

describe("one D1 round trip per read, revocation included", () => {
  it("lookup by userName, get by id and discovery each make exactly one round trip", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    const lookup = await counted(t, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`);
    expect(lookup.res.status).toBe(200);
    expect((await json<Json>(lookup.res)).totalResults).toBe(1);
    expect(lookup.roundTrips).toBe(1);
    const byId = await counted(t, "GET", `/Users/${user.id}`);
    expect(byId.res.status).toBe(200);
    expect(byId.roundTrips).toBe(1);
    const spc = await counted(t, "GET", "/ServiceProviderConfig");
    expect(spc.res.status).toBe(200);
    expect(spc.roundTrips).toBe(1);
  });

  it("a create is one round trip (plus its audit row): the revocation guard rides in the write batch", async () => {
    const t = await newTenant();
    // A first create: the tenant's rate-limit tier, schemas and hub settings are cached from here on.
    await scim(t).createUser();
    const created = await counted(t, "POST", "/Users", userPayload());
    expect(created.res.status).toBe(201);
    // The write batch (revocation guard inside), then, off the response path, the audit row and
    // the Device Hub sync's coalesced wake-up claim (docs/device-hub.md, "Message flow").
    expect(created.roundTrips).toBe(3);
  });
});

describe("a revoked token is refused on the next request", () => {
  it("reads: lookup, get by id, list, discovery → 401", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    await revokeToken(t);
    const s = scim(t);
    await expectScimError(await s.get(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`), 401, undefined, /revoked/);
    await expectScimError(await s.get(`/Users/${user.id}`), 401, undefined, /revoked/);
    await expectScimError(await s.get("/Groups"), 401, undefined, /revoked/);
    await expectScimError(await s.get("/Schemas"), 401, undefined, /revoked/);
  });

  it("a create whose only D1 call is the write batch does not land", async () => {
    const t = await newTenant();
    const fresh = await requestToken(t.clientId, t.clientSecret);
    await scim(t).createUser(); // warms the per-isolate caches, as in the test above
    await revokeToken(t);
    const payload = userPayload();
    const res = await counted(t, "POST", "/Users", payload);
    expect(res.roundTrips).toBe(2); // the write batch itself refused it; then the audit row of the attempt
    await expectScimError(res.res, 401, undefined, /revoked/);
    expect(await userCount(t, fresh, payload.userName)).toBe(0);
  });

  it("revoking the client: a PATCH and a Bulk of creates do not land", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    expect((await admin(`/tenants/${t.id}/clients/${t.clientId}`, { method: "DELETE" })).status).toBe(204);
    const other = await admin(`/tenants/${t.id}/clients`, { body: { name: "second" } });
    const second = await json<{ client_id: string; client_secret: string }>(other);
    const fresh = await requestToken(second.client_id, second.client_secret);
    const s = scim(t);
    await expectScimError(await s.patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "displayName", value: "changed" })), 401);
    const bulkName = userPayload().userName;
    const bulk = await s.post("/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [{ method: "POST", path: "/Users", bulkId: "a", data: userPayload({ userName: bulkName }) }],
    });
    await expectScimError(bulk, 401, undefined, /revoked/);
    expect(await userCount(t, fresh, bulkName)).toBe(0);
    const after = await scim({ ...t, token: fresh }).get(`/Users/${user.id}`);
    expect((await json<Json>(after)).displayName).toBeUndefined();
  });

  it("Bulk: the first refused write batch stops every later operation before D1", async () => {
    const t = await newTenant();
    const fresh = await requestToken(t.clientId, t.clientSecret);
    await scim(t).createUser(); // warms the per-isolate caches
    await revokeToken(t);
    const names = [userPayload().userName, userPayload().userName];
    const res = await counted(t, "POST", "/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: names.map((userName, i) => ({ method: "POST", path: "/Users", bulkId: `b${i}`, data: userPayload({ userName }) })),
    });
    await expectScimError(res.res, 401, undefined, /revoked/);
    // The first operation's batch was refused, the second never reached D1; then the audit row
    // and the sync wake-up claim (a no-op UPDATE for a tenant without a started sync).
    expect(res.roundTrips).toBe(3);
    for (const userName of names) expect(await userCount(t, fresh, userName)).toBe(0);
  });
});
