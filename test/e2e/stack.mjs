// Starts the real dev stack (scripts/dev.mjs: service + Device Hub emulator + local D1) for the
// browser tests, in a throw-away copy of the repo so a developer's .dev.vars, local D1 and
// .wrangler/dev-state.json are never touched, on free ports so a running `npm run dev` is not either.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
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

function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), "edge-scim-e2e-"));
  for (const rel of COPY) cpSync(join(REPO, rel), join(dir, rel), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** Run `node scripts/dev.mjs --port P` in a sandbox; resolves once the banner is printed. */
export async function startStack({ timeoutMs = 120_000 } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStackOnce(timeoutMs);
    } catch (e) {
      // Another process took the port between our check and wrangler's bind: try another pair.
      if (attempt >= 3 || !/Address already in use/.test(String(e))) throw e;
    }
  }
}

async function startStackOnce(timeoutMs) {
  const port = await freePortPair();
  const dir = sandbox();
  let output = "";
  // DEV_CRON_SECONDS=0: no background cron, so the cycle the test watches is the one "Run now" starts.
  const child = spawn(process.execPath, ["scripts/dev.mjs", "--port", String(port)], {
    cwd: dir,
    env: { ...process.env, DEV_CRON_SECONDS: "0", NO_COLOR: "1" },
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
    rmSync(dir, { recursive: true, force: true });
  }

  const until = Date.now() + timeoutMs;
  while (!/Dev tenant\s+\S+/.test(output)) {
    if (child.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`dev stack did not come up on port ${port}:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const adminToken = /^ADMIN_TOKEN='([^']+)'/m.exec(readFileSync(join(dir, ".dev.vars"), "utf8"))?.[1];
  if (!adminToken) throw new Error("ADMIN_TOKEN missing from the sandbox .dev.vars");
  return { baseUrl: `http://localhost:${port}`, hubUrl: `http://localhost:${port + 1}`, adminToken, output: () => output, stop };
}
