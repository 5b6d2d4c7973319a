#!/usr/bin/env node
// `npm run dev [-- wrangler dev args]`: make local secrets, write wrangler.dev.toml (wrangler.toml
// plus a second shard DB_1, scripts/dev-config.mjs), migrate both local shards, build the admin
// console (dist/console, wrangler.toml [assets]; wrangler's [build] rebuilds it on change), run the service
// (default port 8787) and, when present, the Device Hub emulator (service port + 1), bootstrap a
// dev tenant and print how to call it. Ctrl-C stops both children. One stack per local state
// (scripts/dev-lock.mjs); `--persist-to DIR` gives a second stack its own.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { buildConsole } from "./build-console.mjs";
import { writeDevConfig } from "./dev-config.mjs";
import { banner, bootstrapDevTenant, waitForService } from "./dev-bootstrap.mjs";
import { acquireDevLock, DEFAULT_STATE_DIR, refusal } from "./dev-lock.mjs";
import { ensureDevVars } from "./dev-vars.mjs";
import { migrateShards } from "./migrate.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const HUB_CONFIG = "test/emulators/device-hub/wrangler.toml";
const DEFAULT_PORT = 8787;
process.chdir(ROOT);

// CI=1 makes wrangler take its non-interactive defaults (the migrations "continue?" prompt answers
// yes) instead of waiting on a prompt; no metrics pings from a dev loop.
const childEnv = { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" };

/** The port wrangler will use: `--port N`, `--port=N` or `-p N` among the forwarded args. */
function portFrom(args) {
  for (let i = 0; i < args.length; i++) {
    const eq = /^--port=(\d+)$/.exec(args[i]);
    if (eq) return Number(eq[1]);
    if ((args[i] === "--port" || args[i] === "-p") && /^\d+$/.test(args[i + 1] ?? "")) return Number(args[i + 1]);
  }
  return undefined;
}

/** `--persist-to DIR` (or `--persist-to=DIR`) among the forwarded args: the local state to use. */
function persistToFrom(args) {
  for (let i = 0; i < args.length; i++) {
    const eq = /^--persist-to=(.+)$/.exec(args[i]);
    if (eq) return eq[1];
    if (args[i] === "--persist-to" && args[i + 1]) return args[i + 1];
  }
  return undefined;
}

function log(line) {
  process.stdout.write(`[dev] ${line}\n`);
}

/** Two shards locally, so the routing across shards always runs; both get every migration. */
async function migrate(persistTo) {
  const config = writeDevConfig();
  log(`applying local D1 migrations to every shard of ${config}`);
  const shards = await migrateShards(config, "--local", childEnv, persistTo ? ["--persist-to", persistTo] : []);
  log(`shards: ${shards.join(", ")}`);
  return config;
}

const children = new Map();

// Each child runs in its own process group (detached), so one signal reaches wrangler and its
// workerd, and a terminal Ctrl-C reaches only us: we then stop each child exactly once.
function start(name, args) {
  const child = spawn(process.execPath, [WRANGLER, ...args], { stdio: ["ignore", "pipe", "pipe"], env: childEnv, detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => process.stdout.write(`[${name}] ${line}\n`));
  }
  children.set(name, child);
  child.on("exit", (code, signal) => {
    children.delete(name);
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping`);
      stop(code || 1);
    } else if (children.size === 0) process.exit(exitCode);
  });
  return child;
}

let stopping = false;
let exitCode = 0;

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  if (children.size === 0) process.exit(code);
  for (const child of children.values()) signalGroup(child, "SIGINT");
  // wrangler normally exits within a second or two; never leave a workerd behind.
  setTimeout(() => {
    for (const child of children.values()) signalGroup(child, "SIGKILL");
    process.exit(code);
  }, 8_000).unref();
}

process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
process.on("exit", () => {
  for (const child of children.values()) signalGroup(child, "SIGKILL");
});

async function main() {
  const args = process.argv.slice(2);
  const port = portFrom(args) ?? DEFAULT_PORT;
  const serviceArgs = portFrom(args) ? args : [...args, "--port", String(port)];
  const persistTo = persistToFrom(args);
  const stateDir = persistTo ?? DEFAULT_STATE_DIR;
  const holder = acquireDevLock(stateDir, { url: `http://localhost:${port}`, command: `node scripts/dev.mjs ${args.join(" ")}`.trim() });
  if (holder) {
    for (const line of refusal(holder, stateDir, port).split("\n")) log(line);
    return stop(1);
  }
  const { vars, added, created } = await ensureDevVars(".dev.vars");
  if (created) log("created .dev.vars with a random ADMIN_TOKEN, SIGNING_KEY and HUB_KEY_ENCRYPTION_KEY");
  else if (added.length) log(`added ${added.join(", ")} to .dev.vars`);
  const config = await migrate(persistTo);
  log(`built the admin console into ${await buildConsole()}`);

  const baseUrl = `http://localhost:${port}`;
  let hubUrl;
  // One after the other: two wrangler processes starting at once can pick the same free
  // inspector port and one of them dies with "Address already in use".
  if (existsSync(HUB_CONFIG)) {
    hubUrl = `http://localhost:${port + 1}`;
    // The emulator's own state sits beside its config unless this stack has a directory of its own.
    start("hub", ["dev", "-c", HUB_CONFIG, "--port", String(port + 1), ...(persistTo ? ["--persist-to", `${persistTo}/device-hub`] : [])]);
    if (!(await waitForService(`${hubUrl}/health`, () => children.has("hub"), 60_000))) return;
  }
  start("scim", ["dev", "-c", config, ...serviceArgs]);
  if (!(await waitForService(`${baseUrl}/.well-known/jwks.json`, () => children.has("scim")))) {
    if (!stopping) log(`the service did not answer on ${baseUrl}; is the port free?`);
    return;
  }
  try {
    // The dev tenant's record lives with the D1 state it describes.
    const statePath = persistTo ? `${persistTo}/dev-state.json` : ".wrangler/dev-state.json";
    const dev = await bootstrapDevTenant({ baseUrl, adminToken: vars.ADMIN_TOKEN, statePath, hubUrl });
    process.stdout.write(banner({ baseUrl, hubUrl, ...dev }));
  } catch (err) {
    log(`dev tenant bootstrap failed: ${err.message}`);
  }
  tickCron(baseUrl);
}

// wrangler dev does not fire Cron Triggers by itself; fire the scheduled handler once a minute
// (DEV_CRON_SECONDS, 0 = off). SCIM changes wake the sync through the local queue within seconds;
// the tick is the scheduler and safety net, as in production (periodic cycles, lost messages).
function tickCron(baseUrl) {
  const seconds = Number(process.env.DEV_CRON_SECONDS ?? 60);
  if (!seconds) return;
  log(`firing the cron trigger every ${seconds} s (DEV_CRON_SECONDS=0 turns it off); SCIM changes reach the hub within seconds through the sync queue`);
  const timer = setInterval(() => {
    if (stopping) return clearInterval(timer);
    fetch(`${baseUrl}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("*/5 * * * *")}`).catch(() => {});
  }, seconds * 1000);
  timer.unref();
}

main().catch((err) => {
  log(err.stack ?? String(err));
  stop(1);
});
