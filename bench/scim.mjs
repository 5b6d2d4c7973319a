#!/usr/bin/env node
// SCIM API benchmark (issue: query engine). Seeds one tenant with N users (default 100,000) and
// 1,000 groups, one of which holds every user, then measures the requests Entra and admins make.
// Run: `npm run bench -- --users 100000 --seconds 5`. Figures go to docs/performance.md.
import { execSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { d1Cost, measure as measureLatency, percentile, root, setupTenant, startWorker, workerdCpuMs } from "./lib.mjs";
import { seededUserId, seedUsers } from "./seed-users.mjs";

// Profiles: `--profile 400k` is the tenant size of a full Device Hub bulk upload (issue: cost that
// does not grow with the tenant); explicit --users/--groups/--seconds override a profile's values.
const PROFILES = {
  "100k": { users: "100000", groups: "1000", seconds: "5" },
  "400k": { users: "400000", groups: "10000", seconds: "3" },
};
const { values } = parseArgs({
  options: { profile: { type: "string", default: "100k" }, users: { type: "string" }, groups: { type: "string" }, seconds: { type: "string" }, "costs-only": { type: "boolean", default: false }, "lookups-only": { type: "boolean", default: false } },
});
const profile = PROFILES[values.profile];
if (!profile) throw new Error(`unknown profile ${values.profile}: one of ${Object.keys(PROFILES).join(", ")}`);
const USERS = Number(values.users ?? profile.users);
const GROUPS = Number(values.groups ?? profile.groups);
const SECONDS = Number(values.seconds ?? profile.seconds);
// --costs-only: skip the latency runs, print the D1 cost per request shape (quick on a shared box).
const COSTS_ONLY = values["costs-only"];
// --lookups-only: only the alternating-rounds comparison with /ServiceProviderConfig (and nothing after it).
const LOOKUPS_ONLY = values["lookups-only"];

// Bundle as deployed (wrangler's own bundler), gzip-compressed: what counts against the size limit.
const outdir = `${root}/node_modules/.cache/bench/dry-run`;
rmSync(outdir, { recursive: true, force: true });
execSync(`wrangler deploy --dry-run --outdir ${outdir}`, { cwd: root, stdio: "ignore", env: { ...process.env, PATH: `${root}/node_modules/.bin:${process.env.PATH}` } });
const bundle = readFileSync(`${outdir}/index.js`);
const bundleKb = { raw: bundle.length / 1024, gzip: gzipSync(bundle).length / 1024 };

// The metered entry wraps the D1 binding (bench/metered-entry.ts): round trips and rows per request.
const tStart = performance.now();
const { mf, db, base } = await startWorker({ metered: true });
const startMs = performance.now() - tStart;
const tFirst = performance.now();
const firstStatus = (await fetch(`${base}/scim/v2/ServiceProviderConfig`)).status; // 401: no token, no D1
const firstMs = performance.now() - tFirst;
const { tenantId, token } = await setupTenant(base);
const auth = { Authorization: `Bearer ${token}` };
const scimHeaders = { ...auth, "Content-Type": "application/scim+json" };

// --- Seed through SQL in 1,000-row json_each batches; Bulk seeding is timed separately below.
const now = new Date().toISOString();
const t0 = performance.now();
const userId = seededUserId;
await seedUsers(db, tenantId, USERS, { domain: "bench.example.com", now });
const groupId = (i) => `10000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
for (let start = 0; start < GROUPS; start += 500) {
  const rows = Array.from({ length: Math.min(500, GROUPS - start) }, (_, k) => ({ id: groupId(start + k), name: `Group ${start + k}` }));
  await db
    .prepare(
      `INSERT INTO groups (tenant_id, id, display_name, display_name_lc, external_id, version, created_at, updated_at, doc)
       SELECT ?1, json_extract(j.value,'$.id'), json_extract(j.value,'$.name'), lower(json_extract(j.value,'$.name')), NULL, 1, ?2, ?2,
              json_object('displayName', json_extract(j.value,'$.name'))
       FROM json_each(?3) j`,
    )
    .bind(tenantId, now, JSON.stringify(rows))
    .run();
}
const BIG = groupId(0);
for (let start = 0; start < USERS; start += 5000) {
  const ids = Array.from({ length: Math.min(5000, USERS - start) }, (_, k) => userId(start + k));
  await db
    .prepare(`INSERT INTO group_members (tenant_id, group_id, member_id, member_type, added_at) SELECT ?1, ?2, value, 'User', ?3 FROM json_each(?4)`)
    .bind(tenantId, BIG, now, JSON.stringify(ids))
    .run();
}
// A 10-member group, to show member writes cost the same whatever the group size.
const SMALL10 = groupId(2);
await db
  .prepare(`INSERT INTO group_members (tenant_id, group_id, member_id, member_type, added_at) SELECT ?1, ?2, value, 'User', ?3 FROM json_each(?4)`)
  .bind(tenantId, SMALL10, now, JSON.stringify(Array.from({ length: Math.min(10, USERS) }, (_, k) => userId(k))))
  .run();
await db.prepare("PRAGMA optimize").run();
const seedSeconds = (performance.now() - t0) / 1000;

// Bulk seeding rate, through the public API (1,000 users in 1,000-operation requests).
const bulkUsers = Math.min(1000, USERS);
const tb = performance.now();
const bulkRes = await fetch(`${base}/scim/v2/Bulk`, {
  method: "POST",
  headers: scimHeaders,
  body: JSON.stringify({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
    Operations: Array.from({ length: bulkUsers }, (_, i) => ({
      method: "POST",
      path: "/Users",
      bulkId: `b${i}`,
      data: { userName: `bulk${i}@bench.example.com`, emails: [{ value: `bulk${i}@bench.example.com`, type: "work" }] },
    })),
  }),
});
await bulkRes.arrayBuffer();
const bulkSeconds = (performance.now() - tb) / 1000;

console.log(`# SCIM bench — ${USERS} users, ${GROUPS} groups, one group of ${USERS} members`);
console.log(`node ${process.version}, git ${execSync("git rev-parse --short HEAD", { cwd: new URL("..", import.meta.url) }).toString().trim()}`);
console.log(`bundle (wrangler deploy --dry-run): ${bundleKb.raw.toFixed(0)} KiB, ${bundleKb.gzip.toFixed(0)} KiB gzip; Miniflare start ${startMs.toFixed(0)} ms, first response (fresh isolate, HTTP ${firstStatus}) ${firstMs.toFixed(1)} ms`);
console.log(`seeded by SQL in ${seedSeconds.toFixed(1)} s; Bulk: ${bulkUsers} users in ${bulkSeconds.toFixed(2)} s (${(bulkUsers / bulkSeconds).toFixed(0)} users/s, HTTP ${bulkRes.status})`);

const get = (path) => () => fetch(`${base}/scim/v2${path}`, { headers: auth });
const rnd = () => Math.floor(Math.random() * USERS);
const opts = { seconds: SECONDS };
const rows = [];
const measure = COSTS_ONLY || LOOKUPS_ONLY ? async (name) => ({ name }) : measureLatency;
rows.push(await measure("GET /ServiceProviderConfig", get("/ServiceProviderConfig"), opts));
rows.push(await measure("userName eq (lookup)", () => get(`/Users?filter=${encodeURIComponent(`userName eq "user${rnd()}@bench.example.com"`)}`)(), opts));
rows.push(await measure("GET /Users/{id}", () => get(`/Users/${userId(rnd())}?excludedAttributes=groups`)(), opts));
rows.push(await measure("GET /Users/{id} (with groups)", () => get(`/Users/${userId(rnd())}`)(), opts));
rows.push(await measure("page of 100 (startIndex random)", () => get(`/Users?startIndex=${1 + Math.floor(Math.random() * (USERS - 100))}&count=100&excludedAttributes=groups`)(), opts));
const coSelective = () => get(`/Users?excludedAttributes=groups&filter=${encodeURIComponent(`emails co "user${rnd()}@mail"`)}`)();
const coBroad = () => get(`/Users?count=10&excludedAttributes=groups&filter=${encodeURIComponent(`emails co "mail${Math.floor(Math.random() * 50)}.example.com"`)}`)();
const coShort = () => get(`/Users?count=10&excludedAttributes=groups&filter=${encodeURIComponent(`userName co "r${Math.floor(Math.random() * 10)}"`)}`)();
rows.push(await measure("emails co, selective (trigram index)", coSelective, opts));
rows.push(await measure("name.familyName sw (trigram index)", () => get(`/Users?excludedAttributes=groups&filter=${encodeURIComponent(`name.familyName sw "Family${rnd() % 997}"`)}`)(), opts));
rows.push(await measure(`emails co, 1/50 of users match (index, ${Math.round(USERS / 50)} candidates)`, coBroad, { ...opts, concurrency: 2 }));
rows.push(await measure(`userName co 2 chars (${USERS > 5000 ? "400: over 5,000 users" : "scan"})`, coShort, { ...opts, concurrency: 2 }));
rows.push(await measure("count only, no filter", get("/Users?count=0"), { ...opts, concurrency: 2 }));
let latencyWalk = 1;
rows.push(await measure("page of 100, sequential startIndex", () => get(`/Users?startIndex=${(latencyWalk = latencyWalk + 100 > USERS ? 1 : latencyWalk + 100)}&count=100&excludedAttributes=groups`)(), { ...opts, concurrency: 1 }));
rows.push(await measure("GET group excludedAttributes=members", () => get(`/Groups/${BIG}?excludedAttributes=members`)(), opts));

// Membership writes: add 1,000 members to a small group in one PATCH (then remove them again so
// every iteration does the same work), and remove + re-add one member of the 100k group and of a
// 10-member group (the two must cost the same).
let flip = 0;
const patchMembers = (group, ops, members) => () =>
  fetch(`${base}/scim/v2/Groups/${group}`, {
    method: "PATCH",
    headers: scimHeaders,
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: ops[flip++ % 2], path: "members", value: members }],
    }),
  });
const thousand = Array.from({ length: Math.min(1000, USERS) }, (_, i) => ({ value: userId(i) }));
const one = [{ value: userId(7) }];
const writeOpts = { ...opts, concurrency: 1 };
rows.push(await measure("PATCH add 1,000 members (alternating with remove)", patchMembers(groupId(1), ["Add", "Remove"], thousand), writeOpts));
rows.push(await measure("PATCH remove/re-add 1 member of the 100k group", patchMembers(BIG, ["Remove", "Add"], one), writeOpts));
rows.push(await measure("PATCH remove/re-add 1 member of a 10-member group", patchMembers(SMALL10, ["Remove", "Add"], one), writeOpts));
if (!COSTS_ONLY && !LOOKUPS_ONLY) console.table(rows);

// Lookups against the auth-only baseline, in alternating rounds (ROUNDS in all, SECONDS per shape).
// Measured one after another as above, a shape also carries what the previous one left behind (its
// c=10 run): that made GET /Users/{id} look 1.26× /ServiceProviderConfig at 400k. Here each round
// runs the shapes in a fresh order (a seeded shuffle), so drift on a shared box and whatever one
// shape leaves in the caches for the next fall on every shape alike. The ratios here are the ones
// to quote.
if (!COSTS_ONLY) {
  const lookupShapes = [
    ["GET /ServiceProviderConfig", get("/ServiceProviderConfig")],
    ["userName eq (lookup)", () => get(`/Users?filter=${encodeURIComponent(`userName eq "user${rnd()}@bench.example.com"`)}`)()],
    ["GET /Users/{id}", () => get(`/Users/${userId(rnd())}?excludedAttributes=groups`)()],
    ["GET /Users/{id} (with groups)", () => get(`/Users/${userId(rnd())}`)()],
  ];
  const ROUNDS = 10 * lookupShapes.length;
  let seed = 26; // mulberry32: the same orders on every run
  const nextRandom = () => {
    let t = (seed = (seed + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const shuffled = (items) => items.map((item) => [nextRandom(), item]).sort((a, b) => a[0] - b[0]).map(([, item]) => item);
  const seen = new Map(lookupShapes.map(([name]) => [name, { cpu: 0, latencies: [] }]));
  // Unmetered: the D1 meter wraps every statement in a Proxy, which a deployed Worker does not pay.
  await fetch(`${base}/__bench/meter`, { method: "DELETE" });
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, make] of shuffled(lookupShapes)) {
      const s = seen.get(name);
      const cpu0 = workerdCpuMs();
      const end = performance.now() + (SECONDS * 1000) / ROUNDS;
      while (performance.now() < end) {
        const t0 = performance.now();
        const res = await make();
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
        s.latencies.push(performance.now() - t0);
      }
      s.cpu += workerdCpuMs() - cpu0;
    }
  }
  const figures = [...seen].map(([name, s]) => {
    s.latencies.sort((a, b) => a - b);
    return { name, requests: s.latencies.length, p50: percentile(s.latencies, 50), cpu: s.cpu / s.latencies.length };
  });
  await fetch(`${base}/__bench/meter`, { method: "PUT" });
  const spc = figures[0];
  console.log("# Lookups against /ServiceProviderConfig, alternating rounds (c=1)");
  console.table(figures.map((f) => ({ name: f.name, requests: f.requests, "p50 ms": f.p50.toFixed(2), "p50 × SPC": (f.p50 / spc.p50).toFixed(2), "workerd CPU ms/req": f.cpu.toFixed(2), "CPU × SPC": (f.cpu / spc.cpu).toFixed(2) })));
}
if (LOOKUPS_ONLY) {
  await mf.dispose();
  process.exit(0);
}

// What each shape costs D1 (the billed units), from D1's own result meta.
const costs = [];
const lookupUser = () => get(`/Users?filter=${encodeURIComponent(`userName eq "user${rnd()}@bench.example.com"`)}`)();
costs.push(await d1Cost(base, "GET /ServiceProviderConfig", get("/ServiceProviderConfig")));
costs.push(await d1Cost(base, "userName eq (lookup)", lookupUser));
costs.push(await d1Cost(base, "userName eq, excludedAttributes=groups", () => get(`/Users?excludedAttributes=groups&filter=${encodeURIComponent(`userName eq "user${rnd()}@bench.example.com"`)}`)()));
costs.push(await d1Cost(base, "GET /Users/{id} (with groups)", () => get(`/Users/${userId(rnd())}`)()));
costs.push(await d1Cost(base, "GET group excludedAttributes=members (100k members)", get(`/Groups/${BIG}?excludedAttributes=members`)));
costs.push(await d1Cost(base, "page of 100 (startIndex random)", () => get(`/Users?startIndex=${1 + Math.floor(Math.random() * (USERS - 100))}&count=100&excludedAttributes=groups`)()));
costs.push(await d1Cost(base, "page of 100, cursor (first page)", get("/Users?cursor=&count=100&excludedAttributes=groups")));
// A cursor walk's later pages, and a sequential startIndex walk (what Okta-style imports do).
let nextCursor = "";
const cursorPage = async () => {
  const res = await fetch(`${base}/scim/v2/Users?count=100&excludedAttributes=groups&cursor=${encodeURIComponent(nextCursor)}`, { headers: auth });
  const body = await res.clone().json();
  nextCursor = body.nextCursor ?? "";
  return res;
};
await (await cursorPage()).arrayBuffer();
costs.push(await d1Cost(base, "page of 100, cursor (next pages)", cursorPage));
let walkAt = 1;
const sequentialPage = () => get(`/Users?startIndex=${(walkAt += 100) - 100}&count=100&excludedAttributes=groups`)();
await (await sequentialPage()).arrayBuffer();
costs.push(await d1Cost(base, "page of 100, sequential startIndex", sequentialPage));
// "user25" and the like: 111 users at 20k, 11,111 at 400k (a range on users_user_name_uq).
const swPrefix = () => `user${2 + (rnd() % 8)}${rnd() % 10}`;
const swMatches = [1, 10, 100, 1000, 10000, 100000].filter((k) => 25 * k < USERS).reduce((sum, k) => sum + Math.min(k, USERS - 25 * k), 0);
costs.push(await d1Cost(base, `userName sw "userNN" (B-tree range, ~${swMatches} match)`, () => get(`/Users?count=200&excludedAttributes=groups&filter=${encodeURIComponent(`userName sw "${swPrefix()}"`)}`)(), { n: 3 }));
costs.push(await d1Cost(base, "emails co, selective (trigram index)", coSelective));
costs.push(await d1Cost(base, "name.familyName sw (trigram index)", () => get(`/Users?excludedAttributes=groups&filter=${encodeURIComponent(`name.familyName sw "Family${rnd() % 997}"`)}`)(), { n: 3 }));
costs.push(await d1Cost(base, `emails co, 1/50 of users match`, coBroad, { n: 3 }));
// Walking a broad substring filter (1 in 50 users) 10 at a time: page 1 counts the matches once
// per walk; every later page continues after the index key its predecessor ended on and reads its
// own candidates only, so page 500 costs what page 2 does. "@" keeps this walk apart from coBroad's
// filters, whose totals an earlier request may already have counted.
const coWalkFilter = encodeURIComponent(`emails co "@mail13.example.com"`);
const coWalkPage = (k) => get(`/Users?count=10&excludedAttributes=groups&filter=${coWalkFilter}&startIndex=${1 + (k - 1) * 10}`);
const coWalkPages = Math.max(5, Math.min(500, Math.floor(USERS / 50 / 10)));
costs.push(await d1Cost(base, "emails co 1/50, startIndex walk of 10s: page 1 (+ the walk's count)", coWalkPage(1), { n: 1 }));
costs.push(await d1Cost(base, "emails co 1/50, startIndex walk of 10s: page 2", coWalkPage(2), { n: 1 }));
for (let k = 3; k < 5; k++) await (await coWalkPage(k)()).arrayBuffer();
costs.push(await d1Cost(base, "emails co 1/50, startIndex walk of 10s: page 5", coWalkPage(5), { n: 1 }));
for (let k = 6; k < coWalkPages; k++) await (await coWalkPage(k)()).arrayBuffer();
costs.push(await d1Cost(base, `emails co 1/50, startIndex walk of 10s: page ${coWalkPages}`, coWalkPage(coWalkPages), { n: 1 }));
let coCursor = "";
const coCursorPage = async () => {
  const res = await fetch(`${base}/scim/v2/Users?count=10&excludedAttributes=groups&filter=${coWalkFilter}&cursor=${encodeURIComponent(coCursor)}`, { headers: auth });
  coCursor = (await res.clone().json()).nextCursor ?? "";
  return res;
};
await (await coCursorPage()).arrayBuffer();
costs.push(await d1Cost(base, "emails co 1/50, cursor walk of 10s: pages 2-11", coCursorPage));
costs.push(await d1Cost(base, `userName co 2 chars (${USERS > 5000 ? "400: over 5,000 users" : "scan"})`, coShort, { n: 3, ...(USERS > 5000 ? { status: 400 } : {}) }));
costs.push(await d1Cost(base, "count only, no filter", get("/Users?count=0"), { n: 3 }));
const addOne = (group) => patchMembers(group, ["Add", "Add"], one);
const removeOne = (group) => patchMembers(group, ["Remove", "Remove"], one);
costs.push(await d1Cost(base, "PATCH add 1 member, 100k-member group", addOne(BIG), { before: removeOne(BIG) }));
costs.push(await d1Cost(base, "PATCH remove 1 member, 100k-member group", removeOne(BIG), { before: addOne(BIG) }));
costs.push(await d1Cost(base, "PATCH add 1 member, 10-member group", addOne(SMALL10), { before: removeOne(SMALL10) }));
costs.push(await d1Cost(base, "PATCH add 1,000 members", patchMembers(groupId(1), ["Add", "Add"], thousand), { n: 3, before: patchMembers(groupId(1), ["Remove", "Remove"], thousand) }));
let created = 0;
costs.push(await d1Cost(base, "POST /Users", () =>
  fetch(`${base}/scim/v2/Users`, { method: "POST", headers: scimHeaders, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `cost${created++}@bench.example.com`, name: { givenName: "Cost", familyName: "Bench" }, emails: [{ value: `cost${created}@bench.example.com`, type: "work" }] }) })));
costs.push(await d1Cost(base, "PUT user", () => {
  const i = rnd();
  return fetch(`${base}/scim/v2/Users/${userId(i)}`, { method: "PUT", headers: scimHeaders, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `user${i}@bench.example.com`, displayName: `Put ${rnd()}`, emails: [{ value: `user${i}@mail${i % 50}.example.com`, type: "work" }] }) });
}));
costs.push(await d1Cost(base, "PATCH user (replace displayName)", () =>
  fetch(`${base}/scim/v2/Users/${userId(rnd())}`, { method: "PATCH", headers: scimHeaders, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: `Renamed ${rnd()}` }] }) })));
// Cost next to latency, per shape (latency only where the shape was timed above).
const timed = new Map(rows.map((r) => [r.name, r]));
console.log(`# D1 cost per request shape at ${USERS} users (round trips include the audit row and sync wake-up written after the answer)`);
console.table(costs.map((c) => ({ ...c, "p50 ms": timed.get(c.name)?.["p50 ms"] ?? "—", "p99 ms": timed.get(c.name)?.["p99 ms"] ?? "—" })));
await mf.dispose();
