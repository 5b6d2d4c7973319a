#!/usr/bin/env node
// Shard bench (issue: storage scale-out). Two shards (DB, the directory, and DB_1), a tenant on
// each seeded with N users; shows (1) that a SCIM request costs the same D1 round trips on either
// shard and never touches the other one, and (2) write throughput with the writers spread over two
// shards versus the same writers on one, and (3) what moving a tenant of N users between shards
// costs, handed on through the move queue. Run: `npm run bench:shards -- --users 10000 --seconds 5`.
// Figures and what they mean for production: docs/performance.md "Shards".
import { execSync } from "node:child_process";
import { parseArgs } from "node:util";
import { ADMIN_TOKEN, setupTenant, startWorker } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "10000" }, seconds: { type: "string", default: "5" }, writers: { type: "string", default: "8" },
    "serial-ms": { type: "string", default: "20" },
  },
});
const USERS = Number(values.users);
const SECONDS = Number(values.seconds);
const WRITERS = Number(values.writers);
const SERIAL_MS = Number(values["serial-ms"]);

// Invocations that advanced a move (the POST's, then the move queue's consumer), from their log lines.
let moveInvocations = 0;
const onLog = (line) => {
  if (line.includes('"tenant move advanced"')) moveInvocations++;
};
const { mf, dbs, base } = await startWorker({ metered: true, shards: ["DB", "DB_1"], moveQueue: true, onLog });
const userId = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** N users into the tenant's own shard, by SQL in 1,000-row json_each batches. */
async function seed(db, tenantId) {
  const now = new Date().toISOString();
  for (let start = 0; start < USERS; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(USERS, start + 1000); i++) {
      const un = `user${i}@bench.example.com`;
      rows.push({ id: userId(i), un, doc: JSON.stringify({ userName: un, active: true, displayName: `User ${i}`, emails: [{ value: un, type: "work" }] }) });
    }
    await db.prepare(
      `INSERT INTO users (tenant_id, id, user_name, user_name_lc, display_name_lc, active, version, created_at, updated_at, doc)
       SELECT ?1, json_extract(j.value,'$.id'), json_extract(j.value,'$.un'), lower(json_extract(j.value,'$.un')),
              lower(json_extract(json_extract(j.value,'$.doc'),'$.displayName')), 1, 1, ?2, ?2, json_extract(j.value,'$.doc')
       FROM json_each(?3) j`,
    ).bind(tenantId, now, JSON.stringify(rows)).run();
  }
}

const tenants = {};
for (const [name, shard] of [["a", "DB"], ["a2", "DB"], ["b", "DB_1"]]) {
  tenants[name] = { ...(await setupTenant(base, { name: `bench-${name}`, shard })), shard };
  await seed(dbs[shard], tenants[name].tenantId);
}

// --- (1) D1 round trips per request, per shard, from the metered bindings (bench/metered-entry.ts).
async function totals() {
  for (;;) {
    const t = await fetch(`${base}/__bench/d1`).then((r) => r.json());
    if (t.inFlight === 0) return t;
    await new Promise((r) => setTimeout(r, 5));
  }
}
const scim = (t, path, init = {}) =>
  fetch(`${base}/scim/v2${path}`, { ...init, headers: { Authorization: `Bearer ${t.token}`, "Content-Type": "application/scim+json", ...init.headers } });
const rnd = () => Math.floor(Math.random() * USERS);
let created = 0;
const shapes = {
  "userName eq (lookup)": (t) => scim(t, `/Users?filter=${encodeURIComponent(`userName eq "user${rnd()}@bench.example.com"`)}`),
  "GET /Users/{id}": (t) => scim(t, `/Users/${userId(rnd())}?excludedAttributes=groups`),
  "POST /Users": (t) => scim(t, "/Users", { method: "POST", body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `rt${created++}@bench.example.com` }) }),
  "PATCH user (replace displayName)": (t) => scim(t, `/Users/${userId(rnd())}`, { method: "PATCH", body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: `R ${rnd()}` }] }) }),
};
const N = 20;
const costs = [];
for (const [shape, make] of Object.entries(shapes)) {
  const row = { shape };
  for (const t of [tenants.a, tenants.b]) {
    const sum = {};
    for (let i = 0; i < N; i++) {
      const before = await totals();
      const res = await make(t);
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`${shape} on ${t.shard}: HTTP ${res.status}`);
      const after = await totals();
      for (const [shard, n] of Object.entries(after.byShard)) sum[shard] = (sum[shard] ?? 0) + n - (before.byShard[shard] ?? 0);
    }
    row[`tenant on ${t.shard}: round trips`] = Object.entries(sum).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${(n / N).toFixed(1)}`).join(", ") || "0";
  }
  costs.push(row);
}

// --- (2) Write throughput: the same writers, on two tenants of one shard vs one tenant per shard.
async function writeRun(pair) {
  let done = 0;
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    const t = pair[w % pair.length];
    let i = 0;
    while (performance.now() < end) {
      const res = await scim(t, "/Users", { method: "POST", body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `w${w}-${i++}-${crypto.randomUUID().slice(0, 8)}@bench.example.com` }) });
      await res.arrayBuffer();
      if (res.status === 201) done++;
      else errors++;
    }
  }));
  return { writes: done, errors, perSecond: done / SECONDS };
}
await writeRun([tenants.a, tenants.b]); // warm-up
const throughput = [];
// As is (local D1: SQLite files in one workerd process on this machine's cores), then with each
// shard held to one query at a time for SERIAL_MS (the single-writer model, bench/metered-entry.ts).
for (const serial of [0, SERIAL_MS]) {
  await fetch(`${base}/__bench/serial/${serial}`, { method: "PUT" });
  const one = await writeRun([tenants.a, tenants.a2]);
  const two = await writeRun([tenants.a, tenants.b]);
  const mode = serial ? `one query at a time per shard, ${serial} ms each` : "local D1 as is";
  throughput.push(
    { mode, run: `${WRITERS} writers, 2 tenants on DB`, "writes/s": one.perSecond.toFixed(1), errors: one.errors },
    { mode, run: `${WRITERS} writers, 1 tenant on DB + 1 on DB_1`, "writes/s": two.perSecond.toFixed(1), errors: two.errors, "× one shard": (two.perSecond / one.perSecond).toFixed(2) },
  );
}
await fetch(`${base}/__bench/serial/0`, { method: "PUT" });

// --- (3) Moving a tenant: the real admin API starts it; the POST's own invocation takes the first
// slice (at most 200 steps or 10 s) and hands the move on through the move queue, whose consumer
// takes the next slices until it is done. No cron runs. D1 round trips are counted per shard; the
// bench reads the move's state straight from D1, outside the metered bindings. Tenant a goes from
// DB to DB_1 on local D1 as is, then back with one query at a time per shard for SERIAL_MS.
async function moveRun(t, to, serial) {
  await fetch(`${base}/__bench/serial/${serial}`, { method: "PUT" });
  const users = (await dbs[t.shard].prepare("SELECT count(*) AS n FROM users WHERE tenant_id = ?").bind(t.tenantId).first()).n;
  await totals();
  await fetch(`${base}/__bench/d1`, { method: "DELETE" });
  moveInvocations = 0;
  const started = performance.now();
  const res = await fetch(`${base}/admin/v1/tenants/${t.tenantId}/move`, {
    method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify({ shard: to }),
  });
  const start = await res.json();
  if (res.status !== 202) throw new Error(`move: HTTP ${res.status} ${JSON.stringify(start)}`);
  let move;
  for (;;) {
    move = await dbs.DB.prepare("SELECT state, error, copied_rows, purged_rows FROM tenant_moves WHERE id = ?").bind(start.id).first();
    if (move.state === "done") break;
    if (["failed", "cancelled"].includes(move.state)) throw new Error(`move ended ${move.state}: ${move.error}`);
    if (performance.now() - started > 30 * 60_000) throw new Error(`move still ${move.state} after 30 minutes`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const wallS = (performance.now() - started) / 1000;
  const d1 = await totals();
  const trips = Object.values(d1.byShard).reduce((a, b) => a + b, 0);
  const from = t.shard;
  t.shard = to;
  return {
    mode: serial ? `one query at a time per shard, ${serial} ms each` : "local D1 as is",
    move: `${from} → ${to}`, users, "rows copied": move.copied_rows, "rows purged": move.purged_rows,
    invocations: moveInvocations, "wall s": wallS.toFixed(1), "D1 round trips": trips,
    "trips per 1,000 rows copied": ((trips / move.copied_rows) * 1000).toFixed(0),
  };
}
const moves = [await moveRun(tenants.a, "DB_1", 0), await moveRun(tenants.a, "DB", SERIAL_MS)];
await fetch(`${base}/__bench/serial/0`, { method: "PUT" });
// A tenant of 100,000 users is about 500,000 rows (memberships, hub mirror, logs). At 30 ms a D1
// round trip, and at most 10 s per invocation (src/tenancy/move/advance.ts): handed on
// through the move queue the invocations follow each other; with the cron alone, one per 5 minutes.
const tripsPer1000 = Number(moves[1]["trips per 1,000 rows copied"]);
const d1Seconds = 500 * tripsPer1000 * 0.03;
const invocations = Math.ceil(d1Seconds / 10);
const projection = {
  "round trips": 500 * tripsPer1000, invocations: `≥ ${invocations}`,
  "with the move queue (min)": (d1Seconds / 60).toFixed(0), "cron alone (h)": ((invocations * 5) / 60).toFixed(1),
};

console.log(`# Shard bench — 2 shards (DB, DB_1), ${USERS} users per tenant, ${WRITERS} writers, ${SECONDS} s per run`);
console.log(`node ${process.version}, git ${execSync("git rev-parse --short HEAD", { cwd: new URL("..", import.meta.url) }).toString().trim()}, ${(await import("node:os")).cpus().length} cores`);
console.table(costs);
console.table(throughput);
console.table(moves);
console.log("Projection for a 100,000-user tenant (≈ 500,000 rows), 30 ms a round trip, at most 10 s per invocation:");
console.table([projection]);
await mf.dispose();
