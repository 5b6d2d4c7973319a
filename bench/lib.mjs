// Shared bench plumbing: bundle the Worker, start it in Miniflare on a direct socket (no wrangler
// dev proxy in front), apply the real migrations, time requests from the client.
import { readdirSync, readFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { exportJWK, generateKeyPair } from "jose";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
/** HUB_KEY_ENCRYPTION_KEY of the bench Workers, fresh per run. */
export const ENCRYPTION_KEY = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");

/** The Device Hub emulator as one JS bundle (Miniflare needs a ready script). */
export async function bundleEmulator() {
  const outfile = `${root}/node_modules/.cache/bench/device-hub-emulator.js`;
  mkdirSync(`${root}/node_modules/.cache/bench`, { recursive: true });
  await build({
    entryPoints: [`${root}/test/emulators/device-hub/index.ts`], outfile, bundle: true, format: "esm",
    platform: "neutral", target: "es2022", mainFields: ["module", "main"], external: ["cloudflare:*"], logLevel: "warning",
  });
  return outfile;
}

/** Same format as src/sync/hub/key-crypto.ts: v1.<iv>.<ciphertext>, AES-GCM, tenant id as AAD. */
export async function encryptKey(tenantId, apiKey) {
  const key = await crypto.subtle.importKey("raw", Buffer.from(ENCRYPTION_KEY, "base64"), "AES-GCM", false, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(tenantId) }, key, new TextEncoder().encode(apiKey));
  return `v1.${Buffer.from(iv).toString("base64")}.${Buffer.from(ct).toString("base64")}`;
}

/** Bundle the Worker; `metered` wraps its D1 binding to report round trips and rows (metered-entry.ts). */
export async function bundleWorker({ metered = false } = {}) {
  const outfile = `${root}/node_modules/.cache/bench/${metered ? "metered" : "worker"}.js`;
  mkdirSync(`${root}/node_modules/.cache/bench`, { recursive: true });
  await build({
    entryPoints: [metered ? `${root}/bench/metered-entry.ts` : `${root}/src/index.ts`],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    logLevel: "warning",
  });
  return outfile;
}

/** Split a migration file into statements (drizzle-kit's breakpoints). */
export function migrationStatements() {
  const dir = `${root}/migrations`;
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .flatMap((f) => readFileSync(`${dir}/${f}`, "utf8").split("--> statement-breakpoint"))
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * `shards`: the D1 bindings (DB, the directory and first shard, then DB_1 …), each migrated.
 * `moveQueue`: the tenant-move queue of wrangler.toml, producer and consumer. `onLog`: each of the
 * Worker's log lines (otherwise dropped: they would drown the figures).
 */
export async function startWorker({ metered = false, shards = ["DB"], moveQueue = false, onLog = () => {} } = {}) {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "bench", alg: "EdDSA" };
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      workers: [
        {
          name: "main",
          modules: true,
          scriptPath: await bundleWorker({ metered }),
          compatibilityDate: "2026-11-01",
          d1Databases: shards,
          bindings: { ADMIN_TOKEN, SIGNING_KEY: JSON.stringify(signingKey), PUBLIC_URL: "" },
          ...(moveQueue
            ? {
                queueProducers: { MOVE_QUEUE: { queueName: "edge-scim-moves" } },
                queueConsumers: { "edge-scim-moves": { maxBatchSize: 5, maxBatchTimeout: 1, maxRetries: 2 } },
              }
            : {}),
          unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
        },
      ],
      handleStructuredLogs({ message }) {
        onLog(message);
      },
      // BENCH_INSPECTOR_PORT=9229: attach a CPU profiler (DevTools protocol) to the Worker.
      ...(process.env.BENCH_INSPECTOR_PORT ? { inspectorPort: Number(process.env.BENCH_INSPECTOR_PORT) } : {}),
    }),
  );
  const url = await mf.unsafeGetDirectURL("main");
  const dbs = {};
  for (const shard of shards) {
    dbs[shard] = await mf.getD1Database(shard, "main");
    for (const statement of migrationStatements()) await dbs[shard].prepare(statement).run();
  }
  return { mf, db: dbs.DB, dbs, base: url.origin };
}

export async function setupTenant(base, { name = "bench", shard } = {}) {
  const admin = (path, body) =>
    fetch(`${base}/admin/v1${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const tenant = await admin("/tenants", { name, ...(shard ? { shard } : {}) });
  // The bench drives one tenant far past a real Entra job's 25 req/s: lift its rate limit.
  await fetch(`${base}/admin/v1/tenants/${tenant.id}/rate-limit`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ tier: "unlimited" }),
  }).then((r) => {
    if (!r.ok) throw new Error(`could not lift the bench tenant's rate limit: ${r.status}`);
  });
  const client = await admin(`/tenants/${tenant.id}/clients`, { name: "bench" });
  const token = await fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.client_id, client_secret: client.client_secret }),
  }).then((r) => r.json());
  return { tenantId: tenant.id, token: token.access_token };
}

/** workerd CPU (utime+stime, ms) of Miniflare's child processes, from /proc (D1 simulator included). */
export function workerdCpuMs() {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== process.pid || !stat.includes("workerd")) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return (ticks * 1000) / 100;
}

/** The metered Worker's D1 totals, once no call is in flight (waitUntil work such as audit rows). */
async function d1Totals(base) {
  for (;;) {
    const t = await fetch(`${base}/__bench/d1`).then((r) => r.json());
    if (t.inFlight === 0) return t;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * What one request of a shape costs D1: round trips, rows read, rows written (D1's own meta),
 * averaged over `n` sequential requests. `before` runs unmetered ahead of each (e.g. the Remove
 * that lets an Add add again).
 */
export async function d1Cost(base, name, make, { n = 10, before, status } = {}) {
  const sum = { calls: 0, offPath: 0, rowsRead: 0, rowsWritten: 0, unmetered: 0 };
  for (let i = 0; i < n; i++) {
    if (before) await (await before()).arrayBuffer();
    const a = await d1Totals(base);
    const res = await make();
    await res.arrayBuffer();
    if (status === undefined ? res.status >= 300 : res.status !== status) throw new Error(`${name}: HTTP ${res.status}`);
    const b = await d1Totals(base);
    for (const k of Object.keys(sum)) sum[k] += b[k] - a[k];
  }
  const per = (k) => +(sum[k] / n).toFixed(1);
  const row = { name, "D1 round trips": per("calls"), "on the request path": +((sum.calls - sum.offPath) / n).toFixed(1), "rows read": per("rowsRead"), "rows written": per("rowsWritten"), ...(sum.unmetered ? { "calls without meta": per("unmetered") } : {}) };
  console.log(JSON.stringify(row));
  return row;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Run `make()` (returns a fetch promise) sequentially for `seconds` (c=1) and report p50/p99 ms
 * and req/s; then with `concurrency` workers for throughput. Non-2xx answers are counted.
 */
export async function measure(name, make, { seconds = 5, warmup = 1, concurrency = 10 } = {}) {
  const run = async (duration, workers) => {
    const latencies = [];
    let errors = 0;
    const end = performance.now() + duration * 1000;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          const res = await make();
          await res.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (res.status >= 300 && res.status !== 304) errors++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    return { latencies, errors, rps: latencies.length / duration };
  };
  await run(warmup, 1);
  const cpu0 = workerdCpuMs();
  const c1 = await run(seconds, 1);
  const cpuPerRequest = (workerdCpuMs() - cpu0) / Math.max(1, c1.latencies.length);
  const cN = concurrency > 1 ? await run(seconds, concurrency) : undefined;
  const row = {
    name,
    "c=1 req/s": c1.rps.toFixed(0),
    "p50 ms": percentile(c1.latencies, 50).toFixed(1),
    "p99 ms": percentile(c1.latencies, 99).toFixed(1),
    "workerd CPU ms/req": cpuPerRequest.toFixed(2),
    ...(cN ? { [`c=${concurrency} req/s`]: cN.rps.toFixed(0) } : {}),
    errors: c1.errors + (cN?.errors ?? 0),
  };
  console.log(JSON.stringify(row));
  return row;
}

/** Rows read/written so far by the main Worker (metered entry), once no D1 call is in flight. */
export async function d1Rows(mf) {
  for (;;) {
    const t = await (await mf.dispatchFetch("http://bench/__bench/d1")).json();
    if (t.inFlight === 0) return t;
  }
}

/**
 * A sync bench tenant seeded straight into D1: its row, Device Hub settings, a sync state that asks
 * for the initial sweep (no outbox rows: that sweep queues everything), and `userCount` users with
 * their SCIM documents, 1,000 per statement (INSERT … SELECT FROM json_each).
 */
export async function seedSyncTenant(db, name, userCount) {
  const tenantId = crypto.randomUUID();
  const now = new Date().toISOString();
  const apiKey = `bench-${tenantId}`;
  await db.batch([
    db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)").bind(tenantId, name, now),
    db.prepare(`INSERT INTO hub_settings (tenant_id, base_url, api_key_cipher, api_key_hint, timeout_ms, log_retention_days, created_at, updated_at)
      VALUES (?, 'http://device-hub', ?, ?, 10000, 14, ?, ?)`).bind(tenantId, await encryptKey(tenantId, apiKey), apiKey.slice(-4), now, now),
    db.prepare(`INSERT INTO sync_state (tenant_id, started, next_run_at, sweep_requested, updated_at, outbox_seq) VALUES (?, 0, ?, 'initial', ?, 0)`).bind(tenantId, now, now),
  ]);
  const userIds = Array.from({ length: userCount }, () => crypto.randomUUID());
  for (let i = 0; i < userIds.length; i += 1000) {
    const chunk = userIds.slice(i, i + 1000).map((id, k) => ({ id, n: `u${i + k}-${tenantId.slice(0, 8)}@example.com` }));
    await db.prepare(`INSERT INTO users (tenant_id, id, user_name, user_name_lc, display_name_lc, active, version, created_at, updated_at, doc)
      SELECT ?1, json_extract(value, '$.id'), json_extract(value, '$.n'), json_extract(value, '$.n'), json_extract(value, '$.n'), 1, 1, ?2, ?2,
        json_object('userName', json_extract(value, '$.n'), 'displayName', json_extract(value, '$.n'), 'active', json('true'),
          'emails', json_array(json_object('value', json_extract(value, '$.n'), 'type', 'work', 'primary', json('true'))))
      FROM json_each(?3)`).bind(tenantId, now, JSON.stringify(chunk)).run();
  }
  return { tenantId, apiKey, now, userIds };
}

/** Memberships `[groupId, userId]` of a seeded tenant, in one statement (≤ 1,000 a call). */
export const insertMembers = (db, tenantId, now, rows) =>
  db.prepare(`INSERT OR IGNORE INTO group_members (tenant_id, group_id, member_id, member_type, added_at)
    SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), 'User', ?2 FROM json_each(?3)`).bind(tenantId, now, JSON.stringify(rows)).run();

/** The tenant's sync cycle in progress and its last finished one (sync_state), parsed. */
export async function syncCycles(db, tenantId) {
  const row = await db.prepare("SELECT cycle, last_cycle FROM sync_state WHERE tenant_id = ?").bind(tenantId).first();
  return { cycle: row.cycle ? JSON.parse(row.cycle) : null, last: row.last_cycle ? JSON.parse(row.last_cycle) : null };
}

/**
 * The sync benches' Miniflare: the metered Worker on DB beside the Device Hub emulator, the real
 * migrations applied. Miniflare 5 takes a new option shape; the v4 (workers: [{ name, modules, … }])
 * form converts.
 */
export async function startSyncBench() {
  const mf = new Miniflare(convertV4MiniflareOptions({
    workers: [
      {
        name: "main", modules: true, scriptPath: await bundleWorker({ metered: true }), compatibilityDate: "2026-11-01", d1Databases: ["DB"],
        bindings: { ADMIN_TOKEN, SIGNING_KEY: "{}", PUBLIC_URL: "", HUB_KEY_ENCRYPTION_KEY: ENCRYPTION_KEY },
        serviceBindings: { DEVICE_HUB: "device-hub-emulator" },
      },
      {
        name: "device-hub-emulator", modules: true, scriptPath: await bundleEmulator(), compatibilityDate: "2026-11-01",
        durableObjects: { HUB: { className: "HubWorkspace", useSQLite: true } },
      },
    ],
  }));
  const db = await mf.getD1Database("DB", "main");
  for (const s of migrationStatements()) await db.prepare(s).run();
  return { mf, db };
}
