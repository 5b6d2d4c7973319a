// What each request shape costs D1 on a 10,000-user tenant, read from D1's own result meta
// (rows_read / rows_written, what D1 bills) and round trips, through the real fetch handler
// (test/support/d1-meter.ts). The budgets are docs/performance.md's "Budgets per request shape":
// a list page reads about the rows it returns, never the tenant.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metered, type D1Cost } from "../support/d1-meter";
import { expectScimError, patchOp, scim, userPayload, type Json } from "../support/scim";
import { tenantD1 } from "../support/shard";
import { newTenant, type TestTenant } from "../support/tenant";
import { seededUserId, seedUsers } from "../../bench/seed-users.mjs";

const USERS = 10_000;
/**
 * Rows a request reads besides its page: the token check (client, token, tenant rows), the
 * maintained count and the page's keyset bound. Small and independent of the tenant's size.
 */
const OVERHEAD = 30;

const userId = seededUserId;

/** USERS users written by SQL in 1,000-row statements (the triggers run as for any insert). */
async function seedTenantUsers(tenantId: string, count: number) {
  await seedUsers(await tenantD1(tenantId), tenantId, count, { domain: "cost.example.com" });
  // No ANALYZE: a D1 database has no statistics unless someone runs it, so the plans are checked
  // as production gets them (and the other test files share this database).
}

const show = (cost: D1Cost) => JSON.stringify({ ...cost, calls: cost.calls.map((q) => q.slice(0, 100)) });
const q = (filter: string) => encodeURIComponent(filter);

describe(`D1 cost per request shape at ${USERS} users`, () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await newTenant();
    await seedTenantUsers(t.id, USERS);
    await scim(t).get("/Users?count=1"); // warms the per-isolate caches (schemas, tier)
  });
  // The other test files share this database: give the pages back for their rows.
  afterAll(async () => {
    await (await tenantD1(t.id)).prepare("DELETE FROM users WHERE tenant_id = ?").bind(t.id).run();
  });

  async function get(path: string) {
    const { res, cost } = await metered(t.token, "GET", path);
    expect(res.status, await res.clone().text()).toBe(200);
    return { body: await res.json<Json>(), cost };
  }

  it("lookups by userName, externalId, displayName and id read a handful of rows, groups included", async () => {
    for (const path of [
      `/Users?filter=${q('userName eq "user4321@cost.example.com"')}`,
      `/Users?filter=${q('externalId eq "ext-4321"')}`,
      `/Users?filter=${q('displayName eq "User 4321"')}`,
      `/Users/${userId(4321)}`,
    ]) {
      const { body, cost } = await get(path);
      expect(body.id ?? body.Resources[0].id, path).toBe(userId(4321));
      expect(cost.rowsRead, `${path}: ${show(cost)}`).toBeLessThanOrEqual(OVERHEAD);
      expect(cost.onPath).toBe(1);
    }
  });

  it("a lookup by a unique attribute (userName, id) costs what GET /Users/{id} does: one round trip, no count or stamp", async () => {
    const byId = await get(`/Users/${userId(4321)}`);
    const statements = (cost: D1Cost) => cost.calls[0]!.split(" ; ").length;
    for (const filter of ['userName eq "USER4321@cost.example.com"', `id eq "${userId(4321)}"`]) {
      const lookup = await get(`/Users?filter=${q(filter)}`);
      expect(lookup.body.totalResults).toBe(1);
      expect(lookup.body.Resources).toEqual([byId.body]);
      expect(lookup.cost.onPath).toBe(1);
      expect(statements(lookup.cost), `${filter}: ${show(lookup.cost)}`).toBe(statements(byId.cost));
      expect(lookup.cost.calls[0], filter).not.toMatch(/resource_counts|count\(\*\)/);
      expect(lookup.cost.rowsRead, `${filter}: ${show(lookup.cost)} against ${show(byId.cost)}`).toBeLessThanOrEqual(byId.cost.rowsRead + 1);
    }
  });

  it("GET /Users/{id} without groups in the answer reads no membership: the same user, no membership sub-query", async () => {
    const full = await get(`/Users/${userId(4321)}`);
    const lean = await get(`/Users/${userId(4321)}?excludedAttributes=groups`);
    const { groups: _groups, ...rest } = full.body;
    expect(lean.body).toEqual(rest);
    expect(full.cost.calls[0]).toMatch(/group_members/);
    expect(lean.cost.calls[0], show(lean.cost)).not.toMatch(/group_members/);
    expect(lean.cost.onPath).toBe(1);
    // This user is in no group: the membership sub-query finds nothing, so no more rows.
    expect(lean.cost.rowsRead).toBeLessThanOrEqual(full.cost.rowsRead);
  });

  it("an unfiltered count reads at most 10 rows", async () => {
    const { body, cost } = await get("/Users?count=0");
    expect(body.totalResults).toBe(USERS);
    expect(cost.rowsRead, show(cost)).toBeLessThanOrEqual(10);
    expect(cost.onPath).toBe(1);
  });

  it("the first page of 100 reads the page plus a constant, with the exact totalResults", async () => {
    const { body, cost } = await get("/Users?count=100&excludedAttributes=groups");
    expect(body.totalResults).toBe(USERS);
    expect(body.Resources).toHaveLength(100);
    expect(cost.rowsRead, show(cost)).toBeLessThanOrEqual(100 + OVERHEAD);
    expect(cost.onPath).toBe(1);
  });

  it("a cursor walk reads each page's rows plus a constant", async () => {
    let cursor = "";
    const seen: string[] = [];
    for (let page = 0; page < 5; page++) {
      const { body, cost } = await get(`/Users?count=100&excludedAttributes=groups&cursor=${encodeURIComponent(cursor)}`);
      expect(body.totalResults).toBe(USERS);
      seen.push(...body.Resources.map((r: Json) => r.id as string));
      expect(cost.rowsRead, show(cost)).toBeLessThanOrEqual(100 + OVERHEAD);
      expect(cost.onPath).toBe(1);
      cursor = body.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => userId(i)));
  });

  it("a sequential startIndex walk of the whole tenant reads each page once, in order", async () => {
    const seen: string[] = [];
    let worst = 0;
    for (let start = 1; start <= USERS; start += 100) {
      const { body, cost } = await get(`/Users?startIndex=${start}&count=100&excludedAttributes=groups`);
      expect(body.totalResults).toBe(USERS);
      expect(body.startIndex).toBe(start);
      seen.push(...body.Resources.map((r: Json) => r.id as string));
      worst = Math.max(worst, cost.rowsRead);
      expect(cost.rowsRead, `startIndex=${start}: ${show(cost)}`).toBeLessThanOrEqual(100 + OVERHEAD);
      expect(cost.onPath).toBe(1);
    }
    expect(seen).toEqual(Array.from({ length: USERS }, (_, i) => userId(i)));
    expect(worst).toBeGreaterThanOrEqual(100);
  });

  it("a startIndex jump far from any remembered position reads the distance once (index entries only), then pages cheaply", async () => {
    // A write moves the tenant's stamp: no remembered position holds, as on a fresh isolate.
    const extra = await scim(t).createUser();
    const jump = await get(`/Users?startIndex=5001&count=100&excludedAttributes=groups`);
    expect(jump.body.Resources).toHaveLength(100);
    expect(jump.body.Resources[0].id).toBe(userId(5000));
    // At most one index entry per skipped position, plus the page: never a table row per skip.
    expect(jump.cost.rowsRead, show(jump.cost)).toBeLessThanOrEqual(5000 + 100 + OVERHEAD);
    const next = await get(`/Users?startIndex=5101&count=100&excludedAttributes=groups`);
    expect(next.body.Resources[0].id).toBe(userId(5100));
    expect(next.cost.rowsRead, show(next.cost)).toBeLessThanOrEqual(100 + OVERHEAD);
    await scim(t).delete(`/Users/${extra.id}`);
  });

  it("a filtered walk counts once: later pages reuse the count", async () => {
    // 1 in 50 users have an address at mail7.example.com: 200 of 10,000.
    const filter = q('emails co "@mail7.example.com"');
    const first = await get(`/Users?filter=${filter}&count=50&excludedAttributes=groups`);
    expect(first.body.totalResults).toBe(USERS / 50);
    const later: D1Cost[] = [];
    for (let start = 51; start <= 151; start += 50) {
      const page = await get(`/Users?filter=${filter}&startIndex=${start}&count=50&excludedAttributes=groups`);
      expect(page.body.totalResults).toBe(USERS / 50);
      expect(page.body.Resources).toHaveLength(50);
      later.push(page.cost);
    }
    for (const cost of later) expect(cost.rowsRead, show(cost)).toBeLessThan(first.cost.rowsRead);
  });

  it("userName sw (a B-tree range) reads at most twice the rows it matches", async () => {
    // user99…: user99, user990–999, user9900–9999 = 111 users.
    const { body, cost } = await get(`/Users?filter=${q('userName sw "user99"')}&count=200&excludedAttributes=groups`);
    expect(body.totalResults).toBe(111);
    expect(body.Resources).toHaveLength(111);
    expect(cost.rowsRead, show(cost)).toBeLessThanOrEqual(2 * 111 + OVERHEAD);
  });

  it("name.familyName sw and emails sw (the trigram index, no B-tree) read at most twice the rows they match: index entry, user", async () => {
    // Family99 and Family990–996: 8 values of i % 997, about 10 users each.
    const family = await get(`/Users?filter=${q('name.familyName sw "Family99"')}&count=200&excludedAttributes=groups`);
    const matched = family.body.totalResults as number;
    expect(matched).toBeGreaterThan(50);
    expect(family.body.Resources).toHaveLength(matched);
    expect(family.cost.rowsRead, show(family.cost)).toBeLessThanOrEqual(2 * matched + OVERHEAD);
    expect(family.cost.onPath).toBe(1);
    // user99…@: user99, user990–999, user9900–9999 = 111 users.
    const emails = await get(`/Users?filter=${q('emails sw "USER99"')}&count=200&excludedAttributes=groups`);
    expect(emails.body.totalResults).toBe(111);
    expect(emails.body.Resources).toHaveLength(111);
    expect(emails.cost.rowsRead, show(emails.cost)).toBeLessThanOrEqual(2 * 111 + OVERHEAD);
  });

  it("co on many matches reads the trigram candidates once, and counts them once per walk", async () => {
    // 1 in 50 users: 200 matches, 4 pages of 50.
    const filter = q('emails co "@mail3.example.com"');
    let total = 0;
    for (let start = 1; start <= 151; start += 50) {
      const { body, cost } = await get(`/Users?filter=${filter}&startIndex=${start}&count=50&excludedAttributes=groups`);
      expect(body.totalResults).toBe(USERS / 50);
      expect(body.Resources).toHaveLength(50);
      total += cost.rowsRead;
    }
    // Four pages and one count, each about 4 rows per candidate: far below one scan of the tenant.
    expect(total).toBeLessThanOrEqual(5 * 4 * (USERS / 50) + 4 * OVERHEAD);
  });

  it("co on many matches: page k of a walk reads only its own candidates and users, whatever k (startIndex and cursor)", async () => {
    // 1 in 50 users: 200 matches (and 200 candidates), 8 pages of 25. Page k continues after the
    // index key page k - 1 ended on; it must not step over the candidates of pages 1 … k - 1.
    const filter = q('emails co "@mail4.example.com"');
    const PAGE = 25;
    const matches = USERS / 50;
    // Its index entries and users (a cursor page reads one more, to know whether another follows),
    // and on the first page of a walk the count, once: an index entry and a user per candidate.
    const budget = (page: number) => 2 * (PAGE + 1) + (page === 1 ? 2 * matches : 0) + OVERHEAD;
    const ids: string[] = [];
    for (let page = 1; page <= matches / PAGE; page++) {
      const start = 1 + (page - 1) * PAGE;
      const { body, cost } = await get(`/Users?filter=${filter}&startIndex=${start}&count=${PAGE}&excludedAttributes=groups`);
      expect(body.totalResults).toBe(matches);
      expect(body.Resources).toHaveLength(PAGE);
      ids.push(...body.Resources.map((r: Json) => r.id as string));
      expect(cost.rowsRead, `startIndex page ${page}: ${show(cost)}`).toBeLessThanOrEqual(budget(page));
    }
    expect(new Set(ids).size).toBe(matches);
    let cursor = "";
    const viaCursor: string[] = [];
    for (let page = 1; page <= matches / PAGE; page++) {
      const { body, cost } = await get(`/Users?filter=${filter}&count=${PAGE}&excludedAttributes=groups&cursor=${encodeURIComponent(cursor)}`);
      expect(body.totalResults).toBe(matches);
      viaCursor.push(...body.Resources.map((r: Json) => r.id as string));
      expect(cost.rowsRead, `cursor page ${page}: ${show(cost)}`).toBeLessThanOrEqual(budget(page));
      cursor = body.nextCursor;
    }
    expect(cursor).toBeUndefined();
    expect(viaCursor).toEqual(ids);
  });

  it("co with fewer than 3 characters on a large tenant is refused with a 400 that says why, reading almost nothing", async () => {
    const { res, cost } = await metered(t.token, "GET", `/Users?filter=${q('userName co "r1"')}&count=10`);
    const body = await expectScimError(res, 400, "invalidFilter", /at least 3 characters/);
    expect(body.detail).toMatch(/users/);
    expect(cost.rowsRead, show(cost)).toBeLessThanOrEqual(OVERHEAD);
  });

  it("POST /Users takes 1 round trip on the request path (the hub settings are cached per isolate for 30 s)", async () => {
    await scim(t).createUser(); // the isolate reads the tenant's hub settings once
    const { res, cost } = await metered(t.token, "POST", "/Users", userPayload());
    expect(res.status, await res.clone().text()).toBe(201);
    expect(cost.onPath, show(cost)).toBe(1);
  });

  it("PATCH and PUT of a user take at most 2 round trips", async () => {
    const patched = await metered(t.token, "PATCH", `/Users/${userId(7)}`, patchOp({ op: "replace", path: "displayName", value: "Renamed" }));
    expect(patched.res.status, await patched.res.clone().text()).toBe(200);
    expect(patched.cost.onPath, show(patched.cost)).toBeLessThanOrEqual(2);
    const put = await metered(t.token, "PUT", `/Users/${userId(8)}`, userPayload({ userName: "user8@cost.example.com" }));
    expect(put.res.status, await put.res.clone().text()).toBe(200);
    expect(put.cost.onPath, show(put.cost)).toBeLessThanOrEqual(2);
  });

  it("PATCH of a group takes at most 2 round trips", async () => {
    const group = await scim(t).createGroup();
    const { res, cost } = await metered(t.token, "PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: userId(3) }] }));
    expect(res.status === 200 || res.status === 204, await res.clone().text()).toBe(true);
    expect(cost.onPath, show(cost)).toBeLessThanOrEqual(2);
  });
});
