// `npm run setup:production`: in a throw-away copy of the repo, against a stand-in `wrangler` on
// PATH (test/e2e/stand-in-wrangler.mjs: an account in a file, wrangler's answers, no network).
// It must create every database, queue and secret a first deploy needs, record them in
// production.json, and on a second run find them all and create nothing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { installStandInWrangler } from "./stand-in-wrangler.mjs";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const QUEUES = ["edge-scim-sync", "edge-scim-sync-slow", "edge-scim-sync-dlq", "edge-scim-moves"];

function sandbox(account) {
  const dir = mkdtempSync(join(tmpdir(), "edge-scim-setup-"));
  cpSync(join(REPO, "scripts"), join(dir, "scripts"), { recursive: true });
  cpSync(join(REPO, "wrangler.toml"), join(dir, "wrangler.toml"));
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const wrangler = installStandInWrangler(bin, account);
  const run = (...args) => {
    const res = spawnSync(process.execPath, [join(dir, "scripts/setup-production.mjs"), ...args], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    return { code: res.status, out: `${res.stdout}${res.stderr}` };
  };
  const read = (file) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : undefined);
  return { dir, run, read, wrangler, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const creates = (calls) => calls.filter((c) => c[1] === "create" || (c[0] === "secret" && c[1] === "bulk"));

test("first run on an empty account: every database, queue and secret, recorded; a re-run creates nothing", (t) => {
  const box = sandbox();
  t.after(box.cleanup);
  const first = box.run("--public-url", "https://scim.example.com", "--shards", "2");
  assert.equal(first.code, 0, first.out);

  const account = box.wrangler.read();
  assert.deepEqual(account.databases.map((d) => d.name).sort(), ["edge-scim", "edge-scim-shard-1", "edge-scim-shard-2"]);
  assert.deepEqual(account.queues.map((q) => q.name).sort(), [...QUEUES].sort());
  const secrets = account.workers["edge-scim"].secrets;
  assert.deepEqual(Object.keys(secrets).sort(), ["ADMIN_TOKEN", "HUB_KEY_ENCRYPTION_KEY", "SIGNING_KEY"]);
  const jwk = JSON.parse(secrets.SIGNING_KEY);
  assert.ok(jwk.kid && jwk.alg === "EdDSA" && jwk.d, "SIGNING_KEY is a private JWK with kid and alg");
  assert.equal(Buffer.from(secrets.HUB_KEY_ENCRYPTION_KEY, "base64").length, 32);
  // The admin token is shown once, on the terminal; the secrets went through stdin, not argv.
  assert.ok(first.out.includes(`ADMIN_TOKEN=${secrets.ADMIN_TOKEN}`));
  assert.ok(!account.calls.flat().some((a) => a.includes(secrets.ADMIN_TOKEN)));
  const bulk = account.calls.find((c) => c[0] === "secret" && c[1] === "bulk");
  assert.deepEqual(bulk.slice(2), ["-c", "wrangler.production.toml"]);

  const byName = Object.fromEntries(account.databases.map((d) => [d.name, d.uuid]));
  const settings = JSON.parse(box.read("production.json"));
  assert.equal(settings.databaseId, byName["edge-scim"]);
  assert.equal(settings.publicUrl, "https://scim.example.com");
  assert.equal(settings.customDomain, "scim.example.com");
  assert.deepEqual(settings.shards, [
    { binding: "DB_1", databaseName: "edge-scim-shard-1", databaseId: byName["edge-scim-shard-1"] },
    { binding: "DB_2", databaseName: "edge-scim-shard-2", databaseId: byName["edge-scim-shard-2"] },
  ]);
  assert.deepEqual(Object.keys(settings.queues).sort(), [...QUEUES].sort());
  const toml = box.read("wrangler.production.toml");
  for (const id of Object.values(byName)) assert.match(toml, new RegExp(`^database_id = "${id}"$`, "m"));

  const callsBefore = account.calls.length;
  const again = box.run();
  assert.equal(again.code, 0, again.out);
  const after = box.wrangler.read();
  assert.deepEqual(creates(after.calls.slice(callsBefore)), [], "a re-run creates nothing");
  assert.deepEqual(after.workers["edge-scim"].secrets, secrets, "secrets that are set are never replaced");
  assert.deepEqual(JSON.parse(box.read("production.json")), settings);
  assert.doesNotMatch(again.out, /ADMIN_TOKEN=/);
});

test("finds what was made by hand and creates only the rest; keeps production.json's own keys", (t) => {
  const box = sandbox({
    databases: [{ uuid: "7a6b5c4d-1111-4222-8333-444455556666", name: "edge-scim" }],
    queues: [{ name: "edge-scim-sync", id: "q1" }],
    workers: { "edge-scim": { secrets: { ADMIN_TOKEN: "kept-admin-token-0123456789" } } },
  });
  t.after(box.cleanup);
  // The example file's placeholder id is replaced, never deployed; vars survive.
  writeFileSync(
    join(box.dir, "production.json"),
    JSON.stringify({ databaseId: "00000000-0000-0000-0000-000000000000", publicUrl: "https://scim.example.com", customDomain: "scim.example.com", vars: { AUDIT_RETENTION_DAYS: "30" } }),
  );
  const res = box.run();
  assert.equal(res.code, 0, res.out);
  const account = box.wrangler.read();
  assert.deepEqual(creates(account.calls).map((c) => c.slice(0, 3).join(" ")), [
    "queues create edge-scim-sync-dlq",
    "queues create edge-scim-sync-slow",
    "queues create edge-scim-moves",
    "secret bulk -c",
  ]);
  const secrets = account.workers["edge-scim"].secrets;
  assert.equal(secrets.ADMIN_TOKEN, "kept-admin-token-0123456789");
  assert.ok(secrets.SIGNING_KEY && secrets.HUB_KEY_ENCRYPTION_KEY);
  assert.doesNotMatch(res.out, /ADMIN_TOKEN=/, "an admin token it did not make is not printed");
  const settings = JSON.parse(box.read("production.json"));
  assert.equal(settings.databaseId, "7a6b5c4d-1111-4222-8333-444455556666");
  assert.deepEqual(settings.vars, { AUDIT_RETENTION_DAYS: "30" });
  assert.match(box.read("wrangler.production.toml"), /^AUDIT_RETENTION_DAYS = "30"$/m);
});

test("says what is wrong and writes nothing: not logged in, no public URL, an unknown database id", (t) => {
  const loggedOut = sandbox({ loggedIn: false });
  t.after(loggedOut.cleanup);
  let res = loggedOut.run("--public-url", "https://scim.example.com");
  assert.equal(res.code, 1);
  assert.match(res.out, /CLOUDFLARE_API_TOKEN/);
  assert.match(res.out, /wrangler login/);
  assert.equal(loggedOut.read("production.json"), undefined);

  const noUrl = sandbox();
  t.after(noUrl.cleanup);
  res = noUrl.run();
  assert.equal(res.code, 1);
  assert.match(res.out, /--public-url is required/);
  assert.deepEqual(noUrl.wrangler.read().calls, []);

  const stale = sandbox();
  t.after(stale.cleanup);
  const settings = { databaseId: "3f1c1e2a-1111-4222-8333-444455556666", publicUrl: "https://scim.example.com" };
  writeFileSync(join(stale.dir, "production.json"), JSON.stringify(settings));
  res = stale.run();
  assert.equal(res.code, 1);
  assert.match(res.out, /3f1c1e2a-1111-4222-8333-444455556666, which `wrangler d1 list` does not show/);
  assert.deepEqual(creates(stale.wrangler.read().calls), []);
  assert.deepEqual(JSON.parse(stale.read("production.json")), settings);
});
