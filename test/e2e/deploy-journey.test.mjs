// The operator's journey, followed literally: every shell command of docs/deploy.md, then the
// upgrade of docs/upgrading.md and "Adding a shard" and the restore point of docs/operations.md,
// run as written in a fresh copy of the tracked files, with a stand-in `wrangler` in
// node_modules/.bin (test/e2e/stand-in-wrangler.mjs: an account in a file, no network). A step
// that does not work as written fails here. Skipped: `npm install` (the copy links this
// checkout's packages), `wrangler login`, exporting the admin token, and `npm run smoke` (it
// needs a live host: test/e2e/smoke.test.mjs runs it against the dev stack).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { installStandInWrangler } from "./stand-in-wrangler.mjs";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const SKIP = [/^npm install\b/, /^npx wrangler login\b/, /^export EDGE_SCIM_ADMIN_TOKEN=/, /^npm run smoke\b/, /^git pull\b/];
let dir;
let account;

/** A fresh clone's files, and node_modules whose .bin/wrangler is the stand-in. */
function freshCopy() {
  const copy = mkdtempSync(join(tmpdir(), "edge-scim-journey-"));
  const files = spawnSync("git", ["ls-files", "-z"], { cwd: REPO, encoding: "utf8" }).stdout.split("\0").filter(Boolean);
  for (const f of files) {
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    cpSync(join(REPO, f), join(copy, f));
  }
  const modules = join(copy, "node_modules");
  const bin = join(modules, ".bin");
  mkdirSync(bin, { recursive: true });
  for (const entry of readdirSync(join(REPO, "node_modules"))) {
    if (entry !== ".bin") symlinkSync(join(REPO, "node_modules", entry), join(modules, entry));
  }
  for (const entry of readdirSync(join(REPO, "node_modules/.bin"))) {
    if (entry === "wrangler") continue;
    symlinkSync(resolve(join(REPO, "node_modules/.bin"), readlinkSync(join(REPO, "node_modules/.bin", entry))), join(bin, entry));
  }
  return { copy, wrangler: installStandInWrangler(bin) };
}

/** A page's ```sh blocks (or one section's), as written, minus the skipped lines. */
function blocksOf(page, section) {
  let text = readFileSync(join(REPO, "docs", page), "utf8");
  if (section) {
    const start = text.indexOf(`\n## ${section}\n`);
    assert.ok(start >= 0, `${page} has no section ${section}`);
    const end = text.indexOf("\n## ", start + 1);
    text = text.slice(start, end < 0 ? undefined : end);
  }
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
    m[1].split("\n").filter((line) => !SKIP.some((p) => p.test(line.trim()))).join("\n"));
}

/** Run each block as one bash script that stops at its first failing command. */
function runAll(blocks) {
  for (const block of blocks) {
    const res = spawnSync("bash", ["-ec", block], { cwd: dir, encoding: "utf8", env: { ...process.env, CI: "1" }, timeout: 120_000 });
    assert.equal(res.status, 0, `this block failed:\n${block}\n--- output:\n${res.stdout}\n${res.stderr}`);
  }
  return blocks.join("\n");
}

const migrations = readdirSync(join(REPO, "migrations")).filter((f) => f.endsWith(".sql")).sort();

before(() => {
  ({ copy: dir, wrangler: account } = freshCopy());
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("docs/deploy.md, command by command: databases, queues, secrets, migrations, a deployment on the custom domain", { timeout: 300_000 }, () => {
  const ran = runAll(blocksOf("deploy.md"));
  assert.match(ran, /^npm run setup:production /m);
  assert.match(ran, /^npm run deploy\b/m);
  const state = account.read();
  assert.deepEqual(state.databases.map((d) => d.name), ["edge-scim"]);
  assert.deepEqual(state.databases[0].applied, migrations, "every migration applied before the deploy");
  assert.deepEqual(state.queues.map((q) => q.name).sort(), ["edge-scim-moves", "edge-scim-sync", "edge-scim-sync-dlq", "edge-scim-sync-slow"]);
  const worker = state.workers["edge-scim"];
  assert.deepEqual(Object.keys(worker.secrets).sort(), ["ADMIN_TOKEN", "HUB_KEY_ENCRYPTION_KEY", "SIGNING_KEY"]);
  assert.deepEqual(worker.deployed.routes, ["scim.example.com"]);
});

test("docs/operations.md: adding a shard creates, migrates and deploys it; every shard has a restore point", { timeout: 300_000 }, () => {
  runAll(blocksOf("operations.md", "Adding a shard"));
  const state = account.read();
  assert.deepEqual(state.databases.map((d) => d.name), ["edge-scim", "edge-scim-shard-1", "edge-scim-shard-2"]);
  for (const db of state.databases) assert.deepEqual(db.applied, migrations, `${db.name} migrated`);
  const bookmarks = (before) => account.read().calls.slice(before).filter((c) => c[0] === "d1" && c[1] === "time-travel" && c[2] === "info").map((c) => c[3]);
  const callsBefore = state.calls.length;
  runAll(blocksOf("operations.md", "Backups and restore").filter((b) => !b.includes("d1 export")));
  assert.deepEqual([...new Set(bookmarks(callsBefore))].sort(), ["DB", "DB_1", "DB_2"], "the loop reads every shard's bookmark, with -c wrangler.production.toml");
});

test("docs/upgrading.md: the upgrade commands run as written, and an upgrade with nothing new creates nothing", { timeout: 300_000 }, () => {
  const before = account.read().calls.length;
  runAll(blocksOf("upgrading.md"));
  const calls = account.read().calls.slice(before);
  assert.deepEqual(calls.filter((c) => c[1] === "create" || (c[0] === "secret" && c[1] === "bulk")), []);
  assert.ok(calls.some((c) => c[0] === "deploy"));
});
