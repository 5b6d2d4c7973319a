// Starts the real dev stack (scripts/dev.mjs: service + Device Hub emulator + local D1) for the
// browser tests, in a throw-away copy of the repo so a developer's .dev.vars, local D1 and
// .wrangler/dev-state.json are never touched, on free ports so a running `npm run dev` is not either.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const COPY = ["package.json", "tsconfig.json", "wrangler.toml", "src", "migrations", "scripts", "console", "portal", "test/emulators"];

const portFree = (port) =>
  new Promise((resolve) => {
    const srv = createServer().once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });

/**
 * A port p with p and p + 1 free (the service and the emulator); E2E_PORT forces one. The search
 * starts at a random pair, so two stacks started at once (two suites on one machine) rarely pick
 * the same one; startStack retries on another pair if one was taken after all.
 */
async function freePortPair() {
  if (process.env.E2E_PORT) return Number(process.env.E2E_PORT);
  const first = Math.floor(Math.random() * 50);
  for (let i = 0; i < 50; i++) {
    const p = 8897 + 2 * ((first + i) % 50);
    if ((await portFree(p)) && (await portFree(p + 1))) return p;
  }
  throw new Error("no free port pair in 8897-8996");
}

/** The lines that say what went wrong (wrangler's errors come long before its tail), then the tail. */
function excerpt(output) {
  const errors = output.split("\n").filter((l) => /error|failed|exception|SQLITE_/i.test(l)).slice(0, 20);
  return [...errors, "…", output.slice(-2000)].join("\n");
}

function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), "edge-scim-e2e-"));
  for (const rel of COPY) cpSync(join(REPO, rel), join(dir, rel), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * The local D1 state of freshly migrated shards, made once per set of migrations and kept in
 * node_modules/.cache: applying every migration to every shard is most of a stack's start-up, so
 * each sandbox starts from a copy and `scripts/dev.mjs` finds nothing left to apply.
 */
function migratedState() {
  const hash = createHash("sha256").update(readFileSync(join(REPO, "wrangler.toml")));
  for (const f of readdirSync(join(REPO, "migrations")).filter((n) => n.endsWith(".sql")).sort()) {
    hash.update(f).update(readFileSync(join(REPO, "migrations", f)));
  }
  const cached = join(REPO, "node_modules", ".cache", "e2e-d1", hash.digest("hex").slice(0, 16));
  if (existsSync(cached)) return cached;
  const dir = sandbox();
  try {
    const res = spawnSync(process.execPath, ["scripts/migrate.mjs"], { cwd: dir, env: { ...process.env, CI: "1" }, encoding: "utf8" });
    if (res.status !== 0) throw new Error(`migrating the e2e template failed:\n${excerpt(res.stderr)}`);
    mkdirSync(join(cached, ".."), { recursive: true });
    // Renamed into place only when complete, so an interrupted run leaves no half-made cache.
    renameSync(join(dir, ".wrangler", "state"), cached);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cached;
}

/**
 * Run `node scripts/dev.mjs --port P` in a sandbox; resolves once the banner is printed.
 * `keepDir`: stop() leaves the sandbox (its local D1, the emulator's hub state, .dev.vars) in place,
 * and `restart: { dir, port }` (from a kept stack) starts the stack again on that same state and
 * port — a restart of the local stack, as the sync soak does in the middle of a cycle.
 * `env` adds variables for dev.mjs (e.g. DEV_CRON_SECONDS; the default 0 turns the cron off).
 */
export async function startStack({ timeoutMs = 120_000, keepDir = false, restart, env = {} } = {}) {
  if (restart) return startStackOnce(timeoutMs, { keepDir: true, env, restart });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStackOnce(timeoutMs, { keepDir, env });
    } catch (e) {
      // Another process took the port between our check and wrangler's bind: try another pair.
      if (attempt >= 3 || !/Address already in use/.test(String(e))) throw e;
    }
  }
}

/** A kept stack's port pair, once the stopped one has let go of it (bounded wait). */
async function samePortPair(port, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (!((await portFree(port)) && (await portFree(port + 1)))) {
    if (Date.now() > until) throw new Error(`ports ${port} and ${port + 1} are still taken; cannot restart the stack there`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return port;
}

async function startStackOnce(timeoutMs, { keepDir, env, restart }) {
  let port, dir;
  if (restart) {
    ({ port, dir } = restart);
    await samePortPair(port);
  } else {
    port = await freePortPair();
    const state = migratedState();
    dir = sandbox();
    cpSync(state, join(dir, ".wrangler", "state"), { recursive: true });
  }
  let output = "";
  // DEV_CRON_SECONDS=0: no background cron, so the cycle the test watches is the one "Run now" starts.
  const child = spawn(process.execPath, ["scripts/dev.mjs", "--port", String(port)], {
    cwd: dir,
    env: { ...process.env, DEV_CRON_SECONDS: "0", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  for (const s of [child.stdout, child.stderr]) s.on("data", (d) => { output += d; });

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      // dev.mjs stops its own children (each in its own process group) on SIGTERM, within 8 s.
      child.kill("SIGTERM");
      const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
      if (!done) child.kill("SIGKILL");
    }
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });

  const until = Date.now() + timeoutMs;
  while (!/Dev tenant\s+\S+/.test(output)) {
    if (child.exitCode !== null || Date.now() > until) {
      await stop();
      if (!restart) remove(); // a kept sandbox that never came up serves no restart
      throw new Error(`dev stack did not come up on port ${port}:\n${excerpt(output)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const adminToken = /^ADMIN_TOKEN='?([^'\s]+)'?$/m.exec(readFileSync(join(dir, ".dev.vars"), "utf8"))?.[1];
  if (!adminToken) throw new Error("ADMIN_TOKEN missing from the sandbox .dev.vars");
  return { baseUrl: `http://localhost:${port}`, hubUrl: `http://localhost:${port + 1}`, adminToken, output: () => output, stop, dir, port, remove };
}
