// Device Hub sync at the hub's own scale (docs/performance.md "Sync at scale"): one tenant with an
// "all staff" group holding every user, other groups, and the emulator answering each call after
// a random 50–150 ms (a hub far away). Phases: the initial cycle, a full sweep, an incremental
// cycle of 100 changes. Prints per phase: invocations, wall time, workerd CPU, D1 calls, hub
// calls, D1 rows read/written (D1's own result meta, through bench/metered-entry.ts).
//   node bench/sync-scale.mjs                      the profile: 400,000 users, 10,000
//                                                  groups, 2,000,000 memberships (hours locally)
//   node bench/sync-scale.mjs --profile small      2,000 users, 50 groups, 10,000 memberships
//   node bench/sync-scale.mjs --users N --groups G --members M --latency 50-150 --changes 100
// Runs the real scheduled handler in Miniflare without the queue binding, so each scheduled()
// call is one bounded invocation (the same runReconcile a queue message runs).
import { parseArgs } from "node:util";
import { d1Rows, insertMembers as insertMembersOf, seedSyncTenant, startSyncBench, syncCycles, workerdCpuMs } from "./lib.mjs";

const PROFILES = {
  full: { users: 400_000, groups: 10_000, members: 2_000_000 },
  small: { users: 2_000, groups: 50, members: 10_000 },
};

const { values: args } = parseArgs({
  options: {
    profile: { type: "string", default: "full" },
    users: { type: "string" }, groups: { type: "string" }, members: { type: "string" },
    latency: { type: "string", default: "50-150" },
    changes: { type: "string", default: "100" },
    "max-invocations": { type: "string", default: "100000" },
  },
});
const base = PROFILES[args.profile];
if (!base) throw new Error(`unknown profile ${args.profile} (full | small)`);
const SIZE = {
  users: Number(args.users ?? base.users),
  groups: Number(args.groups ?? base.groups),
  members: Number(args.members ?? base.members),
};
const [minMs, maxMs] = args.latency.split("-").map(Number);
const CHANGES = Number(args.changes);

/**
 * The tenant, seeded straight into D1 (no outbox rows: the initial sweep queues everything).
 * Group 0 is "all staff" (every user); the other memberships spread over the other groups.
 */
async function seedTenant(db) {
  const { tenantId, apiKey, now, userIds } = await seedSyncTenant(db, "bench-scale", SIZE.users);
  const groupIds = Array.from({ length: SIZE.groups }, () => crypto.randomUUID());
  for (let i = 0; i < groupIds.length; i += 1000) {
    await db.prepare(`INSERT INTO groups (tenant_id, id, display_name, display_name_lc, version, created_at, updated_at, doc)
      SELECT ?1, json_extract(value, '$.id'), json_extract(value, '$.n'), lower(json_extract(value, '$.n')), 1, ?2, ?2, json_object('displayName', json_extract(value, '$.n'))
      FROM json_each(?3)`).bind(tenantId, now, JSON.stringify(groupIds.slice(i, i + 1000).map((id, k) => ({ id, n: i + k === 0 ? "All staff" : `group ${i + k}` })))).run();
  }
  const insertMembers = (rows) => insertMembersOf(db, tenantId, now, rows);
  for (let i = 0; i < userIds.length; i += 1000) await insertMembers(userIds.slice(i, i + 1000).map((u) => [groupIds[0], u]));
  const rest = Math.max(0, SIZE.members - SIZE.users);
  const others = groupIds.length - 1;
  const perGroup = others > 0 ? Math.floor(rest / others) : 0;
  let batch = [];
  for (let g = 1; g <= others; g++) {
    for (let k = 0; k < perGroup; k++) {
      batch.push([groupIds[g], userIds[(g * perGroup + k) % userIds.length]]);
      if (batch.length === 1000) {
        await insertMembers(batch);
        batch = [];
      }
    }
  }
  if (batch.length) await insertMembers(batch);
  await db.prepare("PRAGMA optimize").run();
  return { tenantId, apiKey, userIds, groupIds };
}

/** Run the real scheduled handler until the tenant's cycle is done: one summary line per phase. */
async function runPhase(mf, db, tenantId, label) {
  await db.prepare("UPDATE sync_state SET started = 1, next_run_at = '2000-01-01T00:00:00.000Z' WHERE tenant_id = ?").bind(tenantId).run();
  const worker = await mf.getWorker("main");
  const cpu0 = workerdCpuMs();
  const d0 = await d1Rows(mf);
  const t0 = performance.now();
  let slowest = 0;
  for (let i = 1; i <= Number(args["max-invocations"]); i++) {
    const w0 = performance.now();
    // The invocation's outcome lives in D1 (checkpoint), so a dropped proxy connection is not fatal.
    await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date() }).catch((e) => console.error(`scheduled(): ${e.message}`));
    slowest = Math.max(slowest, performance.now() - w0);
    const { cycle, last } = await syncCycles(db, tenantId);
    // One line per invocation: a run of hours shows where it is and which step is slow.
    if (cycle) console.error(`${label}: invocation ${i} ${((performance.now() - w0) / 1000).toFixed(1)} s, phase ${cycle.phase}, total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    if (!cycle) {
      const d1 = await d1Rows(mf);
      const row = {
        phase: label, invocations: i, kind: last.kind, "wall s": Number(((performance.now() - t0) / 1000).toFixed(1)),
        "slowest invocation s": Number((slowest / 1000).toFixed(1)), "workerd CPU s": Number(((workerdCpuMs() - cpu0) / 1000).toFixed(1)),
        "D1 calls": last.counts.d1Calls, "hub calls": last.counts.hubCalls,
        "D1 rows read": d1.rowsRead - d0.rowsRead, "D1 rows written": d1.rowsWritten - d0.rowsWritten,
      };
      console.log(JSON.stringify({ ...row, counts: last.counts }));
      return row;
    }
  }
  throw new Error(`${label}: not finished after ${args["max-invocations"]} invocations`);
}

/** `n` changes as the SCIM store writes them: half user updates, half member adds, each with its outbox row. */
async function changes(db, seed, n) {
  const now = new Date().toISOString();
  const stmts = [];
  for (const id of seed.userIds.slice(0, Math.ceil(n / 2))) {
    stmts.push(db.prepare("UPDATE users SET doc = json_set(doc, '$.displayName', 'changed'), version = version + 1, updated_at = ? WHERE tenant_id = ? AND id = ?").bind(now, seed.tenantId, id));
    stmts.push(db.prepare("INSERT INTO sync_outbox (tenant_id, resource_type, resource_id, action, created_at) VALUES (?, 'User', ?, 'upsert', ?)").bind(seed.tenantId, id, now));
  }
  for (let k = 0; k < Math.floor(n / 2); k++) {
    const g = seed.groupIds[1 + (k % Math.max(1, seed.groupIds.length - 1))] ?? seed.groupIds[0];
    const u = seed.userIds[seed.userIds.length - 1 - k];
    stmts.push(db.prepare("INSERT OR IGNORE INTO group_members (tenant_id, group_id, member_id, member_type, added_at) VALUES (?, ?, ?, 'User', ?)").bind(seed.tenantId, g, u, now));
    stmts.push(db.prepare("INSERT INTO sync_outbox (tenant_id, resource_type, resource_id, action, payload, created_at) VALUES (?, 'Group', ?, 'members', ?, ?)").bind(seed.tenantId, g, JSON.stringify({ ids: [u], all: false }), now));
  }
  for (let i = 0; i < stmts.length; i += 50) await db.batch(stmts.slice(i, i + 50));
}

const { mf, db } = await startSyncBench();
try {
  console.log(JSON.stringify({ bench: "device-hub-sync-scale", size: SIZE, allStaff: SIZE.users, hubLatencyMs: [minMs, maxMs], changes: CHANGES, node: process.version }));
  const t0 = performance.now();
  const seed = await seedTenant(db);
  console.log(JSON.stringify({ seededS: Number(((performance.now() - t0) / 1000).toFixed(1)) }));
  const hub = await mf.getWorker("device-hub-emulator");
  const latency = await hub.fetch("http://device-hub/__control/latency", {
    method: "PUT", headers: { Authorization: `Bearer ${seed.apiKey}`, "Content-Type": "application/json" }, body: JSON.stringify({ minMs, maxMs }),
  });
  if (latency.status !== 204) throw new Error(`emulator latency: ${latency.status} ${await latency.text()}`);
  const rows = [await runPhase(mf, db, seed.tenantId, "initial cycle")];
  await db.prepare("UPDATE sync_state SET sweep_requested = 'fullSweep' WHERE tenant_id = ?").bind(seed.tenantId).run();
  rows.push(await runPhase(mf, db, seed.tenantId, "full sweep"));
  await changes(db, seed, CHANGES);
  rows.push(await runPhase(mf, db, seed.tenantId, `incremental (${CHANGES} changes)`));
  console.table(rows);
} finally {
  await mf.dispose();
}
