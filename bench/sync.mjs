// Device Hub sync bench (docs/performance.md "Device Hub sync"): a full initial cycle for N users,
// G groups and M memberships against the emulator, then an incremental cycle of 10 changes at that
// size and at a tenth of it. Prints per invocation: wall ms, workerd CPU ms, D1 calls, hub calls,
// and D1 rows read/written (D1's own result meta, through bench/metered-entry.ts).
//   node bench/sync.mjs [--users 10000] [--groups 1000] [--members 100000] [--part all|cycle|queue]
// Then, through the sync queue (bench/sync-queue.mjs): SCIM write → hub latency and 1,000-tenant fan-out.
// Runs the real scheduled handler in Miniflare (main worker + emulator as a second worker, service
// binding DEVICE_HUB), seeds D1 with INSERT … SELECT FROM json_each.
import { parseArgs } from "node:util";
import { d1Rows, insertMembers, seedSyncTenant, startSyncBench, syncCycles, workerdCpuMs } from "./lib.mjs";
import { fanOutBench, latencyBench } from "./sync-queue.mjs";

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "10000" }, groups: { type: "string", default: "1000" }, members: { type: "string", default: "100000" },
    // cycle: the bounded cycles above; queue: latency and fan-out through the sync queue; all: both.
    part: { type: "string", default: "all" },
    "latency-tenants": { type: "string", default: "20" }, "latency-writes": { type: "string", default: "200" },
    "fanout-tenants": { type: "string", default: "1000" },
  },
});
const SIZE = { users: Number(args.users), groups: Number(args.groups), members: Number(args.members) };

async function seedTenant(db, name, size) {
  const { tenantId, apiKey, now, userIds } = await seedSyncTenant(db, name, size.users);
  const groupIds = Array.from({ length: size.groups }, () => crypto.randomUUID());
  await db.prepare(`INSERT INTO groups (tenant_id, id, display_name, display_name_lc, version, created_at, updated_at, doc)
    SELECT ?1, value, 'group ' || key, 'group ' || key, 1, ?2, ?2, json_object('displayName', 'group ' || key) FROM json_each(?3)`)
    .bind(tenantId, now, JSON.stringify(groupIds)).run();
  const perGroup = Math.floor(size.members / size.groups);
  const rows = [];
  groupIds.forEach((g, gi) => { for (let k = 0; k < perGroup; k++) rows.push([g, userIds[(gi * perGroup + k) % userIds.length]]); });
  for (let i = 0; i < rows.length; i += 1000) await insertMembers(db, tenantId, now, rows.slice(i, i + 1000));
  await db.prepare("PRAGMA optimize").run();
  return { tenantId, apiKey, userIds, groupIds };
}

/** Run the real scheduled handler until the tenant's cycle is done; one line per invocation. */
async function runCycle(mf, db, tenantId, label) {
  await db.prepare("UPDATE sync_state SET started = 1, next_run_at = '2000-01-01T00:00:00.000Z' WHERE tenant_id = ?").bind(tenantId).run();
  const worker = await mf.getWorker("main");
  const rows = [];
  let prev = { d1Calls: 0, hubCalls: 0 };
  const t0 = performance.now();
  for (let i = 1; i <= 20; i++) {
    const cpu0 = workerdCpuMs();
    const d0 = await d1Rows(mf);
    const w0 = performance.now();
    // The invocation's outcome lives in D1 (checkpoint), so a dropped proxy connection is not fatal.
    await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date() }).catch((e) => console.error(`scheduled(): ${e.message}`));
    const { cycle, last } = await syncCycles(db, tenantId);
    const counts = (cycle ?? last).counts;
    const d1 = await d1Rows(mf);
    rows.push({ cycle: label, invocation: i, "wall ms": Math.round(performance.now() - w0), "workerd CPU ms": Math.round(workerdCpuMs() - cpu0),
      "D1 calls": counts.d1Calls - prev.d1Calls, "hub calls": counts.hubCalls - prev.hubCalls,
      "rows read": d1.rowsRead - d0.rowsRead, "rows written": d1.rowsWritten - d0.rowsWritten, phase: cycle?.phase ?? "done" });
    prev = counts;
    if (!cycle) {
      console.table(rows);
      console.log(JSON.stringify({ cycle: label, invocations: i, totalWallS: ((performance.now() - t0) / 1000).toFixed(1), counts: last.counts }));
      return { invocations: i, counts: last.counts, rows };
    }
  }
  throw new Error(`${label}: not finished after 20 invocations`);
}

/** 10 changes as the SCIM store writes them: 5 user updates and 5 member adds, each with its outbox row. */
async function tenChanges(db, seed) {
  const now = new Date().toISOString();
  const stmts = [];
  for (const id of seed.userIds.slice(0, 5)) {
    stmts.push(db.prepare("UPDATE users SET doc = json_set(doc, '$.displayName', 'changed'), version = version + 1, updated_at = ? WHERE tenant_id = ? AND id = ?").bind(now, seed.tenantId, id));
    stmts.push(db.prepare("INSERT INTO sync_outbox (tenant_id, resource_type, resource_id, action, created_at) VALUES (?, 'User', ?, 'upsert', ?)").bind(seed.tenantId, id, now));
  }
  for (let k = 0; k < 5; k++) {
    const g = seed.groupIds[k], u = seed.userIds[seed.userIds.length - 1 - k];
    stmts.push(db.prepare("INSERT OR IGNORE INTO group_members (tenant_id, group_id, member_id, member_type, added_at) VALUES (?, ?, ?, 'User', ?)").bind(seed.tenantId, g, u, now));
    stmts.push(db.prepare("INSERT INTO sync_outbox (tenant_id, resource_type, resource_id, action, payload, created_at) VALUES (?, 'Group', ?, 'members', ?, ?)").bind(seed.tenantId, g, JSON.stringify({ ids: [u], all: false }), now));
  }
  await db.batch(stmts);
}

async function cycleBench() {
  const { mf, db } = await startSyncBench();
  try {
    console.log(JSON.stringify({ bench: "device-hub-sync", size: SIZE, node: process.version }));
    const t0 = performance.now();
    const big = await seedTenant(db, "bench-large", SIZE);
    // A tenth of the users and groups (10 members per group, so the 10 changes are real changes there too).
    const small = await seedTenant(db, "bench-small", { users: SIZE.users / 10, groups: SIZE.groups / 10, members: SIZE.members / 100 });
    console.log(JSON.stringify({ seededS: ((performance.now() - t0) / 1000).toFixed(1) }));
    const initial = await runCycle(mf, db, big.tenantId, "initial (full size)");
    await runCycle(mf, db, small.tenantId, "initial (1/10 size)");
    const inc = [];
    for (const seed of [big, small]) {
      await tenChanges(db, seed);
      inc.push(await runCycle(mf, db, seed.tenantId, `10 changes (${seed === big ? "full" : "1/10"} size)`));
    }
    console.log(JSON.stringify({
      initialInvocations: initial.invocations,
      incrementalFull: { d1: inc[0].counts.d1Calls, hub: inc[0].counts.hubCalls, wallMs: inc[0].rows[0]["wall ms"] },
      incrementalTenth: { d1: inc[1].counts.d1Calls, hub: inc[1].counts.hubCalls, wallMs: inc[1].rows[0]["wall ms"] },
    }));
  } finally {
    await mf.dispose();
  }
}

if (args.part !== "queue") await cycleBench();
if (args.part !== "cycle") {
  await latencyBench({ tenants: Number(args["latency-tenants"]), writes: Number(args["latency-writes"]) });
  await fanOutBench({ tenants: Number(args["fanout-tenants"]), changes: 10 });
}
