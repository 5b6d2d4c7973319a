#!/usr/bin/env node
// `npm run soak:sync [-- options]`: the Device Hub sync's convergence soak (docs/device-hub.md
// "Convergence soak"; not part of `npm test`). It starts the real local stack (scripts/dev.mjs
// with the Device Hub emulator, in a sandbox on free loopback ports: test/e2e/stack.mjs), drives
// Entra-shaped random SCIM traffic at Entra's pace for several tenants, injects random hub faults,
// restarts the stack in the middle of a cycle, then stops the faults, lets the sync settle and
// checks that every tenant's hub matches SCIM and that the drift report (admin API) finds nothing. Exit 0: converged; 1: differences remain; 2: the
// soak itself could not run.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startStack } from "../test/e2e/stack.mjs";
import { localApi, ok, sleep } from "./soak/api.mjs";
import { convergenceDiff } from "./soak/check.mjs";
import { awaitingAdmin, driftOf, printDrift } from "./soak/drift.mjs";
import { clearFaults, runFaults } from "./soak/faults.mjs";
import { prng } from "./soak/prng.mjs";
import { printDid, printFound } from "./soak/report.mjs";
import { settle } from "./soak/settle.mjs";
import { setupTenant } from "./soak/tenants.mjs";
import { runTraffic } from "./soak/traffic.mjs";

const USAGE = `usage: npm run soak:sync -- [--tenants N] [--minutes M] [--seed S] [--rate R] [--no-restart]
  --tenants N         tenants, each with its own hub workspace (default 3; every third one keeps hubConflict "reject", the others "adopt")
  --minutes M         minutes of traffic (default 10)
  --seed S            seed of the operations and faults (default 22); the same seed replays the same intended operations
  --rate R            SCIM requests per second per tenant (default 2: Entra's pace is a few per second)
  --no-restart        do not restart the stack in the middle of a cycle
  --settle-minutes M  longest wait for the sync to settle after the faults stop (default 20)
  --stall-minutes M   stop waiting for a tenant whose queue, sweep and hub have not changed for M minutes
                      (default 9: longer than the longest back-off, 8 min, an item waits before it parks)
  --hub-timeout-ms T  the tenants' hub call timeout (default 5000, so injected delays of 1-8 s fall on both sides)
  --keep              keep the sandbox (local D1, hub state, logs) and print its path`;

function parseOptions(argv) {
  const o = { tenants: 3, minutes: 10, seed: 22, rate: 2, restart: true, settleMinutes: 20, stallMinutes: 9, hubTimeoutMs: 5000, keep: false };
  const num = (name, v, min, max) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number from ${min} to ${max}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i];
    if (a === "--tenants") o.tenants = Math.floor(num(a, value(), 1, 20));
    else if (a === "--minutes") o.minutes = num(a, value(), 0.25, 600);
    else if (a === "--seed") o.seed = Math.floor(num(a, value(), 0, 2 ** 32 - 1));
    else if (a === "--rate") o.rate = num(a, value(), 0.1, 25);
    else if (a === "--settle-minutes") o.settleMinutes = num(a, value(), 0.5, 60);
    else if (a === "--stall-minutes") o.stallMinutes = num(a, value(), 0.5, 60);
    else if (a === "--hub-timeout-ms") o.hubTimeoutMs = Math.floor(num(a, value(), 100, 30_000));
    else if (a === "--no-restart") o.restart = false;
    else if (a === "--keep") o.keep = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}

function makeGate() {
  let up = true;
  const waiters = [];
  return {
    down: () => { up = false; },
    up: () => { up = true; for (const w of waiters.splice(0)) w(); },
    waitUp: () => (up ? Promise.resolve() : new Promise((r) => waiters.push(r))),
  };
}

const secondsSince = (t0) => Math.round((Date.now() - t0) / 1000);
const t0 = Date.now();
const log = (line) => console.log(`[soak +${secondsSince(t0)}s] ${line}`);
// The cron tick every 60 s as `npm run dev` fires it: the scheduler and safety net the sync relies on.
const STACK_ENV = { DEV_CRON_SECONDS: "60" };

async function hubUserCount(api, tenants) {
  let n = 0;
  for (const t of tenants) n += (await api.hub(t.apiKey, "GET", "/state")).body?.users?.length ?? 0;
  return n;
}

/**
 * Stop the stack while one tenant's cycle is running (a full sweep held up by slow listing pages,
 * so a run is surely in flight), then start it again on the same sandbox and port.
 */
async function restartMidCycle(ctx, t) {
  const { api, gate, stack } = ctx;
  await api.admin("POST", `/tenants/${t.id}/provisioning/full-sweep`);
  await api.hub(t.apiKey, "POST", "/faults", { kind: "timeout", delayMs: 3000, apply: true, method: "GET", pathPrefix: "/v1/users", count: 4 });
  await api.admin("POST", `/tenants/${t.id}/provisioning/run`);
  // Wait (bounded) for the sweep's run itself: an incremental cycle already under way goes first.
  let status;
  for (let i = 0; i < 480; i++) {
    status = (await api.admin("GET", `/tenants/${t.id}/provisioning`)).body;
    if (status?.activity === "running" && status.currentCycle && status.currentCycle.kind !== "incremental") break;
    await sleep(250);
  }
  const running = status?.activity === "running";
  const cycle = status?.currentCycle ? `${status.currentCycle.kind} cycle ${status.currentCycle.id.slice(0, 8)} in phase ${status.currentCycle.progress.phase}, ${running ? "a run holding the lease" : "paused between runs"}` : "none";
  const hubUsersBefore = await hubUserCount(api, ctx.tenants);
  log(`restart: stopping the stack (tenant #${t.index}: ${cycle})`);
  gate.down();
  const downAt = Date.now();
  await stack.current.stop();
  ctx.stackLogs.push(stack.current.output());
  const next = await startStack({ restart: { dir: stack.current.dir, port: stack.current.port }, env: STACK_ENV });
  stack.current = next;
  Object.assign(stack.endpoints, { baseUrl: next.baseUrl, hubUrl: next.hubUrl, adminToken: next.adminToken });
  const downSeconds = secondsSince(downAt);
  gate.up();
  const after = (await api.admin("GET", `/tenants/${t.id}/provisioning`)).body;
  const sameCycle = after?.currentCycle && status?.currentCycle && after.currentCycle.id === status.currentCycle.id;
  const cycleAfter = after?.currentCycle ? `${sameCycle ? "the same" : "another"} cycle, ${after.activity}` : `no cycle, ${after?.activity}`;
  log(`restart: the stack is back after ${downSeconds} s (${cycleAfter})`);
  return { tenant: t.index, midCycle: !!status?.currentCycle, cycle, downSeconds, hubUsersBefore, hubUsersAfter: await hubUserCount(api, ctx.tenants), cycleAfter };
}

async function readTenant(api, t) {
  const scim = { users: [], groups: [], memberships: [] };
  let cursor = null;
  for (let page = 0; page < 1_000; page++) {
    const res = await api.admin("GET", `/tenants/${t.id}/export${cursor ? `?cursor=${cursor}` : ""}`);
    ok(res, "the SCIM export");
    for (const line of res.text.split("\n").filter(Boolean)) {
      const row = JSON.parse(line);
      (row.type === "user" ? scim.users : row.type === "group" ? scim.groups : scim.memberships).push(row);
    }
    cursor = res.headers.get("X-Next-Cursor");
    if (!cursor) break;
  }
  const hub = ok(await api.hub(t.apiKey, "GET", "/state"), "the hub state");
  const parked = [];
  let pc = null;
  for (let page = 0; page < 100; page++) {
    const res = ok(await api.admin("GET", `/tenants/${t.id}/provisioning/parked?limit=500${pc ? `&cursor=${encodeURIComponent(pc)}` : ""}`), "the parked list");
    parked.push(...res.items);
    if (!(pc = res.nextCursor)) break;
  }
  const status = ok(await api.admin("GET", `/tenants/${t.id}/provisioning`), "the provisioning status");
  // The sync log, newest first (bounded): the last hub operation per SCIM id explains a difference.
  const lastLog = new Map();
  let lc = null;
  for (let page = 0; page < 4; page++) {
    const res = ok(await api.admin("GET", `/tenants/${t.id}/provisioning/logs?limit=500${lc ? `&cursor=${encodeURIComponent(lc)}` : ""}`), "the sync log");
    for (const e of res.entries) if (e.scimId && !lastLog.has(e.scimId)) lastLog.set(e.scimId, e);
    if (!(lc = res.nextCursor)) break;
  }
  return { scim, hub, parked, status, lastLog };
}

/** "last sync log: user.update failed (conflict 409 …)" for differences about a SCIM resource. */
function explain(diffs, lastLog) {
  for (const d of diffs) {
    const e = lastLog.get(d.id);
    if (e) d.detail += ` [last sync log ${e.at}: ${e.action} ${e.result}${e.error ? ` (${e.error.slice(0, 160)})` : ""}]`;
  }
  return diffs;
}

async function cyclesOf(api, t) {
  const res = await api.admin("GET", `/tenants/${t.id}/provisioning/history?hours=24`);
  const cycles = res.body?.cycles ?? [];
  const sum = (k) => cycles.reduce((n, c) => n + (c[k] ?? 0), 0);
  return { index: t.index, cycles: cycles.length, ok: sum("ok"), failed: sum("failed"), parked: sum("parked") };
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  log(`starting the local stack (scripts/dev.mjs + Device Hub emulator) in a sandbox`);
  const first = await startStack({ keepDir: true, env: STACK_ENV });
  const stack = { current: first, endpoints: { baseUrl: first.baseUrl, hubUrl: first.hubUrl, adminToken: first.adminToken } };
  const stackLogs = [];
  const cleanup = async () => {
    await stack.current.stop().catch(() => {});
    if (options.keep) {
      // The dev processes' output (service, emulator, queue consumer logs), one file per start.
      for (const [i, text] of [...stackLogs, stack.current.output()].entries()) writeFileSync(join(stack.current.dir, `soak-stack-${i + 1}.log`), text);
      log(`sandbox kept: ${stack.current.dir} (stack output in soak-stack-*.log)`);
    } else stack.current.remove();
  };
  process.once("SIGINT", () => { log("interrupted"); cleanup().finally(() => process.exit(130)); });
  try {
    return await soak(options, stack, stackLogs);
  } finally {
    await cleanup();
  }
}

async function soak(options, stack, stackLogs) {
  const startupSeconds = secondsSince(t0);
  const api = localApi(stack.endpoints);
  log(`stack up at ${stack.current.baseUrl} (hub emulator ${stack.current.hubUrl}); setting up ${options.tenants} tenants`);
  const tenants = [];
  for (let i = 0; i < options.tenants; i++) {
    const policy = i % 3 === 0 ? "reject" : "adopt";
    tenants.push(await setupTenant(api, { index: i, seed: options.seed, policy, hubUrl: stack.current.hubUrl, rand: prng(options.seed * 1000 + i), hubTimeoutMs: options.hubTimeoutMs }));
  }
  const gate = makeGate();
  const ctx = { api, gate, stack, tenants, stackLogs };
  const faultStats = { faults: {}, sweepsRequested: 0, faultErrors: 0 };
  const control = prng(options.seed * 1000 + 999);
  const trafficStart = Date.now();
  let trafficEnd = trafficStart + options.minutes * 60_000;
  let stopped = false;
  const restarts = [];

  log(`traffic: ${options.minutes} min at ${options.rate} req/s per tenant, random hub faults${options.restart ? ", one restart mid-cycle" : ""}`);
  const maxOps = Math.ceil(options.minutes * 60 * options.rate * 2) + 100;
  const traffic = Promise.all(tenants.map((t) => runTraffic(api, t, { rate: options.rate, deadline: () => trafficEnd, maxOps, gate })));
  const faults = runFaults(api, tenants, control, { stopped: () => stopped, gate, stats: faultStats });
  const restart = (async () => {
    if (!options.restart) return;
    await sleep(options.minutes * 60_000 * (0.35 + 0.3 * control.next()));
    const r = await restartMidCycle(ctx, control.pick(tenants));
    restarts.push(r);
    trafficEnd += r.downSeconds * 1000; // the traffic gets its minutes without the downtime
  })();
  const ticker = setInterval(() => {
    const requests = tenants.reduce((n, t) => n + t.model.stats.requests, 0);
    const injected = Object.values(faultStats.faults).reduce((n, c) => n + c, 0);
    log(`traffic: ${requests} SCIM requests, ${injected} faults, ${restarts.length} restarts so far`);
  }, 30_000);
  await restart;
  await traffic;
  clearInterval(ticker);
  stopped = true;
  await faults;
  const trafficSeconds = secondsSince(trafficStart);
  const unusedFaults = await clearFaults(api, tenants);
  log(`traffic done; faults cleared (${unusedFaults} unused); settling: full sweep, runs, up to ${options.settleMinutes} min (a tenant unchanged for ${options.stallMinutes} min is given up on)`);

  const settleStart = Date.now();
  const settleProgress = await settle(api, tenants, { deadline: settleStart + options.settleMinutes * 60_000, stallMs: options.stallMinutes * 60_000, log });
  const settleSeconds = secondsSince(settleStart);

  const results = [];
  const awaiting = new Map();
  for (const t of tenants) {
    const state = await readTenant(api, t);
    awaiting.set(t.id, await awaitingAdmin(api, t));
    const all = explain(convergenceDiff({ ...state, model: t.model, graceDays: t.graceDays }), state.lastLog);
    // Under policy reject a create of a hub-made account's name waits for the admin (hub-held names).
    const forAdmin = (d) => (d.kind === "name held by a foreign account" || d.kind === "parked") && awaiting.get(t.id).has(d.id.replace(/^user:/, ""));
    const diffs = all.filter((d) => !forAdmin(d));
    if (all.length > diffs.length) log(`tenant ${t.index}: ${all.length - diffs.length} differences are hub-held names awaiting the admin (policy reject), listed by …/hub-held-names`);
    results.push({
      t,
      diffs,
      status: state.status,
      counts: {
        scimUsers: state.scim.users.length, scimGroups: state.scim.groups.length, scimMembers: state.scim.memberships.length,
        hubUsers: state.hub.users.length, hubGroups: state.hub.groups.length, hubMembers: state.hub.members.length,
      },
    });
  }
  // The admin's own check: the drift report through the admin API, which must find nothing either.
  const drifts = [];
  for (const t of tenants) {
    log(`tenant ${t.index}: drift report`);
    drifts.push({ t, drift: await driftOf(api, t, { awaiting: awaiting.get(t.id) }) });
  }
  const cycles = [];
  for (const t of tenants) cycles.push(await cyclesOf(api, t));
  const out = (line) => console.log(line);
  printDid(out, {
    options, tenants, faults: faultStats, restarts, settleProgress, cycles, unusedFaults,
    durations: { startup: startupSeconds, traffic: trafficSeconds, settle: settleSeconds, total: secondsSince(t0) },
  });
  const found = printFound(out, results);
  const drifted = printDrift(out, drifts);
  out(drifted ? `\nDRIFT REPORT: ${drifted} differences.` : `\nDRIFT REPORT: zero differences for every tenant.`);
  return found === 0 && drifted === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[soak] ${err.stack ?? err}`);
    process.exit(2);
  },
);
