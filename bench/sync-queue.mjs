// Device Hub sync through the sync queue (docs/performance.md "Sync queue"), in Miniflare with the
// queue settings of wrangler.toml: (1) latency, SCIM write → user visible in the emulator, p50/p99
// over W writes spread across T tenants, no cron tick; (2) fan-out, N tenants with 10 outbox
// changes each → one cron tick → all in their hubs: wall time, consumer invocations, messages.
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { ADMIN_TOKEN, bundleEmulator, bundleWorker, encryptKey, ENCRYPTION_KEY, migrationStatements, percentile, setupTenant } from "./lib.mjs";
import { exportJWK, generateKeyPair } from "jose";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The Worker with the queue producer and consumers of wrangler.toml, the emulator, log counters. */
async function startQueueWorker() {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "bench", alg: "EdDSA" };
  const counts = { batches: 0, messages: 0 };
  const mf = new Miniflare(convertV4MiniflareOptions({
    workers: [
      {
        name: "main", modules: true, scriptPath: await bundleWorker(), compatibilityDate: "2026-11-01", d1Databases: ["DB"],
        bindings: { ADMIN_TOKEN, SIGNING_KEY: JSON.stringify(signingKey), PUBLIC_URL: "", HUB_KEY_ENCRYPTION_KEY: ENCRYPTION_KEY },
        serviceBindings: { DEVICE_HUB: "device-hub-emulator" },
        queueProducers: { SYNC_QUEUE: { queueName: "edge-scim-sync" } },
        queueConsumers: {
          "edge-scim-sync": { maxBatchSize: 5, maxBatchTimeout: 1, maxRetries: 10, deadLetterQueue: "edge-scim-sync-dlq" },
          "edge-scim-sync-dlq": { maxBatchSize: 100, maxBatchTimeout: 5 },
        },
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      },
      {
        name: "device-hub-emulator", modules: true, scriptPath: await bundleEmulator(), compatibilityDate: "2026-11-01",
        durableObjects: { HUB: { className: "HubWorkspace", useSQLite: true } },
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      },
    ],
    // Count the consumer's own log lines (one per batch = per invocation, one per message); the
    // rest of the Worker's logs would drown the figures.
    handleStructuredLogs({ message }) {
      if (message.includes('"sync batch handled"')) counts.batches++;
      if (message.includes('"sync message handled"')) counts.messages++;
    },
  }));
  const base = (await mf.unsafeGetDirectURL("main")).origin;
  const hubBase = (await mf.unsafeGetDirectURL("device-hub-emulator")).origin;
  const db = await mf.getD1Database("DB", "main");
  for (const s of migrationStatements()) await db.prepare(s).run();
  const hubUsers = async (apiKey) => {
    const res = await fetch(`${hubBase}/__control/state`, { headers: { Authorization: `Bearer ${apiKey}` } });
    return (await res.json()).users;
  };
  return { mf, db, base, counts, hubUsers };
}

const adminPost = (base, path, body, method = "POST") =>
  fetch(`${base}/admin/v1${path}`, { method, headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) });

async function createUser(base, t) {
  const userName = `u-${crypto.randomUUID().slice(0, 12)}@example.com`;
  const res = await fetch(`${base}/scim/v2/Users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${t.token}`, "Content-Type": "application/scim+json" },
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true }),
  });
  if (res.status !== 201) throw new Error(`create user: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

/** Latency: W writes round-robin over T tenants, one every 100 ms; each timed until the hub has it. */
export async function latencyBench({ tenants, writes, intervalMs = 100 }) {
  const { mf, base, hubUsers } = await startQueueWorker();
  try {
    const ts = [];
    for (let i = 0; i < tenants; i++) {
      const t = { ...(await setupTenant(base)), apiKey: `bench-${crypto.randomUUID()}` };
      await adminPost(base, `/tenants/${t.tenantId}/device-hub`, { baseUrl: "http://device-hub", apiKey: t.apiKey }, "PUT");
      await adminPost(base, `/tenants/${t.tenantId}/provisioning/start`);
      ts.push(t);
    }
    // Warm-up: each tenant's first write runs its initial sweep; not measured.
    await Promise.all(ts.map(async (t) => {
      const id = await createUser(base, t);
      while (!(await hubUsers(t.apiKey)).some((u) => u.externalRef === id)) await sleep(100);
    }));
    const pending = [];
    let writing = true;
    const poller = (async () => {
      while (writing || pending.some((p) => p.seen === undefined)) {
        for (const t of ts) {
          const open = pending.filter((p) => p.t === t && p.seen === undefined);
          if (open.length === 0) continue;
          const refs = new Set((await hubUsers(t.apiKey)).map((u) => u.externalRef));
          const now = performance.now();
          for (const p of open) if (refs.has(p.id)) p.seen = now;
        }
        await sleep(50);
      }
    })();
    for (let k = 0; k < writes; k++) {
      const t = ts[k % tenants];
      const t0 = performance.now();
      pending.push({ t, id: await createUser(base, t), t0 });
      await sleep(intervalMs);
    }
    writing = false;
    await poller;
    const ms = pending.map((p) => p.seen - p.t0).sort((a, b) => a - b);
    const row = { bench: "sync latency (SCIM write → hub)", tenants, writes, "p50 ms": Math.round(percentile(ms, 50)), "p99 ms": Math.round(percentile(ms, 99)), "max ms": Math.round(ms.at(-1)) };
    console.log(JSON.stringify(row));
    return row;
  } finally {
    await mf.dispose();
  }
}

/** N tenants (hub configured, started, initial sweep done) with `changes` new users in the outbox each. */
async function seedFanOut(db, tenants, changes) {
  const now = new Date().toISOString();
  const seeds = [];
  for (let i = 0; i < tenants; i++) {
    const tenantId = crypto.randomUUID();
    const apiKey = `bench-${tenantId}`;
    seeds.push({ tenantId, apiKey, cipher: await encryptKey(tenantId, apiKey), users: Array.from({ length: changes }, () => crypto.randomUUID()) });
  }
  for (let i = 0; i < seeds.length; i += 100) {
    const chunk = seeds.slice(i, i + 100);
    const json = JSON.stringify(chunk.map((s) => ({ t: s.tenantId, c: s.cipher, h: s.apiKey.slice(-4) })));
    const users = JSON.stringify(chunk.flatMap((s) => s.users.map((u) => ({ t: s.tenantId, u, n: `${u}@example.com` }))));
    await db.batch([
      db.prepare("INSERT INTO tenants (id, name, created_at) SELECT json_extract(value, '$.t'), 'fan-out', ?1 FROM json_each(?2)").bind(now, json),
      db.prepare(`INSERT INTO hub_settings (tenant_id, base_url, api_key_cipher, api_key_hint, timeout_ms, log_retention_days, created_at, updated_at)
        SELECT json_extract(value, '$.t'), 'http://device-hub', json_extract(value, '$.c'), json_extract(value, '$.h'), 10000, 14, ?1, ?1 FROM json_each(?2)`).bind(now, json),
      // Swept already (incremental cycles) and not due by schedule: only the outbox makes them due.
      db.prepare(`INSERT INTO sync_state (tenant_id, started, next_run_at, last_sweep_at, updated_at, outbox_seq)
        SELECT json_extract(value, '$.t'), 1, '2999-01-01T00:00:00.000Z', ?1, ?1, 0 FROM json_each(?2)`).bind(now, json),
      db.prepare(`INSERT INTO users (tenant_id, id, user_name, user_name_lc, display_name_lc, active, version, created_at, updated_at, doc)
        SELECT json_extract(value, '$.t'), json_extract(value, '$.u'), json_extract(value, '$.n'), json_extract(value, '$.n'), json_extract(value, '$.n'), 1, 1, ?1, ?1,
          json_object('userName', json_extract(value, '$.n'), 'active', json('true')) FROM json_each(?2)`).bind(now, users),
      db.prepare(`INSERT INTO sync_outbox (tenant_id, resource_type, resource_id, action, created_at)
        SELECT json_extract(value, '$.t'), 'User', json_extract(value, '$.u'), 'upsert', ?1 FROM json_each(?2)`).bind(now, users),
    ]);
  }
  return seeds;
}

/** Fan-out: one cron tick sends N messages; the consumer drains them. */
export async function fanOutBench({ tenants, changes }) {
  const { mf, db, counts, hubUsers } = await startQueueWorker();
  try {
    const seeds = await seedFanOut(db, tenants, changes);
    const worker = await mf.getWorker("main");
    const t0 = performance.now();
    await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date() });
    const tickMs = performance.now() - t0;
    const doneSql = "SELECT count(*) AS n FROM sync_state WHERE last_cycle IS NOT NULL AND cycle IS NULL AND lease_id IS NULL";
    while ((await db.prepare(doneSql).first()).n < tenants) await sleep(250);
    const wallS = (performance.now() - t0) / 1000;
    const inHub = [];
    for (let i = 0; i < seeds.length; i += 20) inHub.push(...(await Promise.all(seeds.slice(i, i + 20).map(async (s) => (await hubUsers(s.apiKey)).length))));
    const cycles = (await db.prepare("SELECT last_cycle FROM sync_state").all()).results.map((r) => JSON.parse(r.last_cycle));
    const sum = (f) => cycles.reduce((a, c) => a + f(c), 0);
    const row = {
      bench: "sync fan-out (one cron tick)", tenants, changesEach: changes, "wall s": wallS.toFixed(1), "cron tick ms": Math.round(tickMs),
      cronInvocations: 1, consumerInvocations: counts.batches, messages: counts.messages, cycleInvocations: sum((c) => c.invocations),
      allInHubs: inHub.every((n) => n === changes), "D1 calls / tenant": (sum((c) => c.counts.d1Calls) / tenants).toFixed(1),
      "hub calls / tenant": (sum((c) => c.counts.hubCalls) / tenants).toFixed(1),
    };
    console.log(JSON.stringify(row));
    return row;
  } finally {
    await mf.dispose();
  }
}
