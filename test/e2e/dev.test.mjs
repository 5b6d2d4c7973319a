// `npm run dev` as a newcomer meets it: the banner's commands, run as printed, create a user that
// arrives in the Device Hub emulator; .dev.vars holds an ADMIN_TOKEN without quotes; on another
// port the banner gives the CLI its --url. Twice on one checkout: the second is refused before it
// touches anything, naming the process that holds the local state and how to run with a state
// directory of its own — and that advice works. A lock left by a killed stack is taken over.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { startStack } from "./stack.mjs";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
let stack;

before(async () => {
  stack = await startStack();
}, { timeout: 180_000 });
after(async () => stack?.stop());

/** `node scripts/dev.mjs ...args` in the stack's checkout; resolves on exit or once `until` matches. */
function dev(args, until) {
  const child = spawn(process.execPath, ["scripts/dev.mjs", ...args], {
    cwd: stack.dir,
    env: { ...process.env, DEV_CRON_SECONDS: "0", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve) => {
    const check = (d) => {
      out += d;
      if (until && until.test(out)) resolve({ child, out: () => out });
    };
    child.stdout.on("data", check);
    child.stderr.on("data", check);
    child.once("exit", (code) => resolve({ code, out: () => out }));
  });
}

test("the banner's commands, run as printed: a token, a SCIM create, and the user in the emulator", { timeout: 120_000 }, async () => {
  const out = stack.output();
  const banner = out.slice(out.lastIndexOf("Get a token and create a user:")).split("\n");
  const commands = banner.filter((l) => /^ {4}(TOKEN=|curl )/.test(l)).map((l) => l.trim());
  assert.equal(commands.length, 3, out);
  const userName = /"userName":"([^"]+)"/.exec(commands[1])?.[1];
  assert.ok(userName, commands[1]);
  const created = spawnSync("bash", ["-c", `${commands[0]}\n${commands[1]}`], { encoding: "utf8" });
  assert.equal(created.status, 0, created.stderr);
  assert.equal(JSON.parse(created.stdout).userName, userName, created.stdout);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const state = spawnSync("bash", ["-c", commands[2]], { encoding: "utf8" });
    if (state.status === 0 && JSON.parse(state.stdout).users?.some((u) => JSON.stringify(u).includes(userName))) break;
    assert.ok(Date.now() < deadline, `the user never reached the emulator: ${state.stdout}`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

test("the admin token in .dev.vars has no quotes, and the banner's CLI line names --url for this port", () => {
  const vars = readFileSync(join(stack.dir, ".dev.vars"), "utf8");
  assert.match(vars, new RegExp(`^ADMIN_TOKEN=${stack.adminToken}$`, "m"));
  const cli = /CLI\s+(npx edge-scim tenants list --url (\S+))$/m.exec(stack.output());
  assert.ok(cli, stack.output());
  assert.equal(cli[2], stack.baseUrl);
  // Run as printed (the repo's own CLI: npx resolves the package's bin to scripts/cli.mjs).
  const res = spawnSync(process.execPath, ["scripts/cli.mjs", ...cli[1].split(" ").slice(2), "--json"], { cwd: stack.dir, encoding: "utf8" });
  assert.equal(res.status, 0, res.stderr);
  assert.ok(JSON.parse(res.stdout).tenants.some((t) => t.name === "Dev tenant"));
});

test("a second npm run dev on the same state is refused: who holds it, and how to run beside it", { timeout: 240_000 }, async () => {
  const second = await dev(["--port", String(stack.port + 2)]);
  assert.equal(second.code, 1, second.out());
  const out = second.out();
  assert.match(out, /another `npm run dev` is using this local state \(.*\.wrangler\/state\)/);
  assert.match(out, new RegExp(`pid \\d+ \\(node scripts/dev\\.mjs --port ${stack.port}\\), http://localhost:${stack.port}, since \\d{4}-`));
  const advice = /npm run dev -- (--persist-to \S+ --port \d+)/.exec(out);
  assert.ok(advice, out);
  assert.doesNotMatch(out, /applying local D1 migrations/, "refused before touching the state");
  assert.equal((await fetch(`${stack.baseUrl}/health`)).status, 200, "the first stack is untouched");

  // The advice, followed: a second stack with its own state comes up beside the first.
  const [, persistTo, port] = /--persist-to (\S+) --port (\d+)/.exec(advice[1]);
  const beside = await dev(["--persist-to", persistTo, "--port", port], /Dev tenant\s+\S+/);
  try {
    assert.ok(beside.child, `the second stack did not come up:\n${beside.out()}`);
    assert.equal((await fetch(`http://localhost:${port}/health`)).status, 200);
    assert.equal((await fetch(`${stack.baseUrl}/health`)).status, 200);
  } finally {
    if (beside.child) {
      const exited = new Promise((r) => beside.child.once("exit", r));
      beside.child.kill("SIGTERM");
      await exited;
    }
  }
});

test("a lock left by a stack that is gone is taken over", () => {
  const dir = mkdtempSync(join(tmpdir(), "edge-scim-lock-"));
  try {
    const gone = spawnSync(process.execPath, ["-e", "process.pid"]).pid;
    mkdirSync(join(dir, "state"));
    writeFileSync(join(dir, "state", "dev.lock"), JSON.stringify({ pid: gone, url: "http://localhost:8787", command: "node scripts/dev.mjs", startedAt: "2026-01-01T00:00:00Z" }));
    const script = `import { acquireDevLock } from ${JSON.stringify(join(REPO, "scripts/dev-lock.mjs"))};
      const holder = acquireDevLock("state", { url: "u", command: "c" });
      console.log(JSON.stringify({ holder, lock: JSON.parse((await import("node:fs")).readFileSync("state/dev.lock", "utf8")) }));`;
    const res = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
    assert.equal(res.status, 0, res.stderr);
    const { holder, lock } = JSON.parse(res.stdout);
    assert.equal(holder, undefined);
    assert.notEqual(lock.pid, gone);
    assert.throws(() => readFileSync(join(dir, "state", "dev.lock")), /ENOENT/, "released when its process exits");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
