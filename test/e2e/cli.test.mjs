// End-to-end: the `edge-scim` CLI (package bin, scripts/cli.mjs) against the real dev stack:
// help, tenants (rename, delete, export, move), clients, tokens, Device Hub, provisioning, rate limit,
// Entra tokens, audit (order, filters, --follow), keys rotate, health; --json and exit codes.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { startStack } from "./stack.mjs";

const CLI = fileURLToPath(new URL("../../scripts/cli.mjs", import.meta.url));
let stack;

function cli(args, { env = {} } = {}) {
  const res = spawnSync(process.execPath, [CLI, ...args, "--url", stack.baseUrl], {
    encoding: "utf8",
    env: { ...process.env, EDGE_SCIM_ADMIN_TOKEN: stack.adminToken, ...env },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}
const json = (r) => {
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
};

before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

test("--help lists the commands and exits 0; unknown commands exit 2", () => {
  const help = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
  assert.equal(help.status, 0);
  const words = ["tenants create", "tenants rename", "tenants delete", "tenants export", "clients rotate", "tokens issue",
    "entra-tokens set", "hub set", "provisioning status", "provisioning parked", "provisioning retry", "rate-limit set", "token-policy set",
    "audit tail", "--follow", "keys rotate", "health", "--json"];
  for (const word of words) {
    assert.match(help.stdout, new RegExp(word.replace("-", "\\-")));
  }
  const bad = spawnSync(process.execPath, [CLI, "frobnicate"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command/);
});

test("tenants, clients, tokens, provisioning and audit work end to end with --json", async () => {
  const tenant = json(cli(["tenants", "create", "CLI Co", "--json"]));
  assert.match(tenant.id, /^[0-9a-f-]{36}$/);
  assert.ok(json(cli(["tenants", "list", "--json"])).tenants.some((t) => t.id === tenant.id));
  const shown = json(cli(["tenants", "show", tenant.id, "--json"]));
  assert.equal(shown.scim.tenantUrl, `${stack.baseUrl}/scim/v2`);

  const client = json(cli(["clients", "create", tenant.id, "entra", "--json"]));
  assert.match(client.client_secret, /^scs_/);
  const token = json(cli(["tokens", "issue", tenant.id, client.client_id, "--expires-in", "315360000", "--json"]));
  assert.equal(token.expires_in, 315360000);
  const scim = await fetch(`${stack.baseUrl}/scim/v2/Users?filter=${encodeURIComponent('userName eq "x"')}`, {
    headers: { Authorization: `Bearer ${token.access_token}` },
  });
  assert.equal(scim.status, 200);

  const listed = json(cli(["tokens", "list", tenant.id, client.client_id, "--json"]));
  assert.ok(listed.tokens.some((t) => t.jti === token.jti));
  assert.equal(cli(["tokens", "revoke", tenant.id, token.jti]).code, 0);
  const revoked = await fetch(`${stack.baseUrl}/scim/v2/Users`, { headers: { Authorization: `Bearer ${token.access_token}` } });
  assert.equal(revoked.status, 401);

  const rotated = json(cli(["clients", "rotate", tenant.id, client.client_id, "--json"]));
  assert.notEqual(rotated.client_secret, client.client_secret);
  assert.equal(cli(["clients", "revoke", tenant.id, client.client_id]).code, 0);
  assert.equal(json(cli(["clients", "list", tenant.id, "--json"])).clients[0].status, "revoked");

  const status = json(cli(["provisioning", "status", tenant.id, "--json"]));
  assert.equal(status.tenantId, tenant.id);
  const audit = json(cli(["audit", "tail", tenant.id, "--json"]));
  assert.ok(audit.entries.some((e) => e.path.endsWith("/clients") && e.method === "POST"));
});

test("server errors exit 1, a wrong admin token exits 1, an unreachable server exits 3", () => {
  const missing = cli(["tenants", "show", "00000000-0000-0000-0000-000000000000"]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /404/);
  assert.equal(cli(["tenants", "list"], { env: { EDGE_SCIM_ADMIN_TOKEN: "wrong-token-0123456789" } }).code, 1);
  const down = spawnSync(process.execPath, [CLI, "tenants", "list", "--url", "http://127.0.0.1:9", "--admin-token", "x"], { encoding: "utf8" });
  assert.equal(down.status, 3);
});

/** Poll a condition (no fixed sleeps): the deadline only bounds a real failure. */
async function until(check, deadlineMs = 60_000) {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met");
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("Device Hub, provisioning, rate limit and Entra tokens from the CLI", async () => {
  const tenant = json(cli(["tenants", "create", "Ops Co", "--json"]));
  const hub = json(cli(["hub", "set", tenant.id, "--base-url", stack.hubUrl, "--api-key", `cli-${Date.now()}`, "--log-retention-days", "7", "--json"]));
  assert.equal(hub.baseUrl, stack.hubUrl);
  assert.equal(json(cli(["hub", "show", tenant.id, "--json"])).logRetentionDays, 7);
  assert.equal(json(cli(["provisioning", "start", tenant.id, "--json"])).state, "started");
  json(cli(["provisioning", "run", tenant.id, "--json"]));
  assert.ok(Array.isArray(json(cli(["provisioning", "logs", tenant.id, "--limit", "5", "--json"])).entries));
  assert.deepEqual(json(cli(["provisioning", "parked", tenant.id, "--json"])).items, []);
  assert.equal(json(cli(["provisioning", "retry", tenant.id, "--json"])).retried, 0);
  const missing = cli(["provisioning", "retry", tenant.id, "999999999"]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /404/);
  json(cli(["provisioning", "full-sweep", tenant.id, "--json"]));
  assert.equal(json(cli(["provisioning", "stop", tenant.id, "--json"])).state, "stopped");
  assert.equal(cli(["hub", "remove", tenant.id]).code, 0);

  assert.equal(json(cli(["rate-limit", "set", tenant.id, "high", "--json"])).tier, "high");
  assert.equal(json(cli(["rate-limit", "show", tenant.id, "--json"])).tier, "high");
  assert.equal(cli(["rate-limit", "set", tenant.id, "warp"]).code, 1);

  const entraTenant = crypto.randomUUID();
  assert.equal(json(cli(["entra-tokens", "set", tenant.id, entraTenant, "--json"])).entraTenantId, entraTenant);
  assert.equal(json(cli(["entra-tokens", "show", tenant.id, "--json"])).issuer, `https://sts.windows.net/${entraTenant}/`);
  const appId = "2c3e4f5a-0000-4000-8000-00000000abcd";
  const federated = json(cli(["entra-tokens", "set", tenant.id, entraTenant, "--app-id", appId, "--assertion-audience", `api://${appId}`, "--json"]));
  assert.equal(federated.appId, appId);
  assert.deepEqual(federated.federation.audiences, [`${stack.baseUrl}/oauth/token`, `api://${appId}`]);
  assert.equal(json(cli(["token-policy", "set", tenant.id, "gallery", "--json"])).mode, "gallery");
  assert.equal(json(cli(["token-policy", "show", tenant.id, "--json"])).mode, "gallery");
  assert.equal(cli(["token-policy", "set", tenant.id, "forever"]).code, 1);
  assert.equal(cli(["entra-tokens", "remove", tenant.id]).code, 0);
  assert.equal(cli(["entra-tokens", "show", tenant.id]).code, 1);

  assert.deepEqual(json(cli(["health", "--json"])), { status: "ok", d1: "ok" });
});

test("rename, export to a file, audit newest first with filters and --follow, then offboard", async () => {
  const tenant = json(cli(["tenants", "create", "Export Co", "--json"]));
  assert.equal(json(cli(["tenants", "rename", tenant.id, "Export Ltd", "--json"])).name, "Export Ltd");
  const client = json(cli(["clients", "create", tenant.id, "entra", "--json"]));
  const token = json(cli(["tokens", "issue", tenant.id, client.client_id, "--json"])).access_token;
  // A fresh connection per write (agent: false): wrangler dev may close an idle keep-alive socket,
  // and a POST is never retried on a reused one.
  const post = (path, body) =>
    new Promise((resolve, reject) => {
      const req = request(`${stack.baseUrl}/scim/v2${path}`, {
        method: "POST",
        agent: false,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" },
      }, (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => (res.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text}`))));
      });
      req.on("error", reject);
      req.end(JSON.stringify(body));
    });
  const users = [];
  for (let i = 0; i < 3; i++) users.push(await post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `cli${i}-${Date.now()}@x.test` }));
  const group = await post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `g-${Date.now()}`, members: [{ value: users[0].id }] });

  const dir = mkdtempSync(join(tmpdir(), "edge-scim-export-"));
  try {
    const file = join(dir, "tenant.ndjson");
    const summary = json(cli(["tenants", "export", tenant.id, "--out", file, "--json"]));
    assert.deepEqual({ ...summary, pages: 1 }, { file, pages: 1, users: 3, groups: 1, memberships: 1 });
    const lines = readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.filter((l) => l.type === "user").map((u) => u.id).sort(), users.map((u) => u.id).sort());
    assert.deepEqual(lines.find((l) => l.type === "membership"), { type: "membership", groupId: group.id, memberId: users[0].id, memberType: "User" });
    assert.deepEqual(readdirSync(dir), ["tenant.ndjson"], "no partial file is left behind");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Audit: newest first; rows land after the response, so wait for the last write to show.
  let entries = [];
  await until(async () => (entries = json(cli(["audit", "tail", tenant.id, "--count", "100", "--json"])).entries).length >= 8);
  assert.deepEqual(entries.slice(0, 2).map((e) => [e.method, e.resourceType]), [["POST", "Group"], ["POST", "User"]]);
  assert.equal(entries.at(-1).resourceType, "tenant");
  for (let i = 1; i < entries.length; i++) assert.ok(entries[i - 1].at >= entries[i].at);
  const older = json(cli(["audit", "tail", tenant.id, "--until", entries[0].at, "--json"])).entries;
  assert.ok(older.every((e) => e.at < entries[0].at));
  const newer = json(cli(["audit", "tail", tenant.id, "--since", entries[1].at, "--json"])).entries;
  assert.ok(newer.every((e) => e.at >= entries[1].at) && newer.length >= 2);

  // --follow: a real long-running process that prints the next admin action when it happens.
  const follower = spawn(process.execPath, [CLI, "audit", "tail", tenant.id, "--follow", "--interval", "0.2", "--json", "--url", stack.baseUrl], {
    env: { ...process.env, EDGE_SCIM_ADMIN_TOKEN: stack.adminToken },
  });
  let followed = "";
  follower.stdout.on("data", (d) => (followed += d));
  try {
    await until(async () => followed.includes('"resourceType":"tenant"') || followed.includes("POST"));
    json(cli(["clients", "create", tenant.id, "followed-client", "--json"]));
    await until(async () => followed.split("\n").filter(Boolean).some((l) => JSON.parse(l).path === `/admin/v1/tenants/${tenant.id}/clients` && JSON.parse(l).at > entries[0].at));
  } finally {
    follower.kill();
  }

  const deleted = json(cli(["tenants", "delete", tenant.id, "--json"]));
  assert.equal(deleted.state, "deleting");
  const refused = await fetch(`${stack.baseUrl}/scim/v2/Users`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(refused.status, 401);
  const shown = json(cli(["tenants", "show", tenant.id, "--json"]));
  assert.ok(["deleting", "deleted"].includes(shown.state));
  assert.equal(typeof shown.purge.done, "boolean");
  assert.equal(json(cli(["tenants", "list", "--json"])).tenants.find((t) => t.id === tenant.id).state, shown.state);
  assert.equal(cli(["clients", "list", tenant.id]).code, 1);
});

test("keys rotate prints the bulk-secret JSON from the service's JWKS and writes nothing to disk", async () => {
  const dir = mkdtempSync(join(tmpdir(), "edge-scim-keys-"));
  try {
    const current = (await (await fetch(`${stack.baseUrl}/.well-known/jwks.json`)).json()).keys.map((k) => k.kid);
    const res = spawnSync(process.execPath, [CLI, "keys", "rotate", "--url", stack.baseUrl], { cwd: dir, encoding: "utf8" });
    assert.equal(res.status, 0, res.stderr);
    const secrets = JSON.parse(res.stdout);
    assert.deepEqual(Object.keys(secrets).sort(), ["SIGNING_KEY", "VERIFICATION_KEYS"]);
    const signing = JSON.parse(secrets.SIGNING_KEY);
    assert.equal(signing.alg, "EdDSA");
    assert.ok(signing.d && signing.kid && !current.includes(signing.kid));
    const retired = JSON.parse(secrets.VERIFICATION_KEYS);
    assert.deepEqual(retired.map((k) => k.kid), current);
    assert.ok(retired.every((k) => !("d" in k)), "only public keys keep verifying");
    assert.deepEqual(readdirSync(dir), [], "no key file is written");

    const dropped = spawnSync(process.execPath, [CLI, "keys", "rotate", "--drop", current[0], "--url", stack.baseUrl], { encoding: "utf8" });
    assert.equal(dropped.status, 0, dropped.stderr);
    assert.ok(!JSON.parse(JSON.parse(dropped.stdout).VERIFICATION_KEYS).some((k) => k.kid === current[0]));
    assert.equal(spawnSync(process.execPath, [CLI, "keys", "rotate", "--drop", "no-such-kid", "--url", stack.baseUrl], { encoding: "utf8" }).status, 2);

    // keys init: the first deployment's secrets; the admin token also on stderr for the person.
    const init = spawnSync(process.execPath, [CLI, "keys", "init"], { cwd: dir, encoding: "utf8" });
    assert.equal(init.status, 0, init.stderr);
    const first = JSON.parse(init.stdout);
    assert.deepEqual(Object.keys(first).sort(), ["ADMIN_TOKEN", "HUB_KEY_ENCRYPTION_KEY", "SIGNING_KEY"]);
    assert.ok(first.ADMIN_TOKEN.length >= 32 && init.stderr.includes(first.ADMIN_TOKEN));
    assert.ok(!init.stderr.includes(JSON.parse(first.SIGNING_KEY).d), "the private key never goes to the terminal");
    assert.equal(Buffer.from(first.HUB_KEY_ENCRYPTION_KEY, "base64").length, 32);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tenants move carries a tenant to another shard; move-status follows it; bad moves exit 1", async () => {
  const tenant = json(cli(["tenants", "create", "Mover Co", "--shard", "DB", "--json"]));
  json(cli(["clients", "create", tenant.id, "entra", "--json"]));
  const started = json(cli(["tenants", "move", tenant.id, "DB_1", "--json"]));
  assert.equal(started.source, "DB");
  assert.equal(started.destination, "DB_1");
  // The POST runs the first steps in waitUntil; a small tenant is through before the next cron tick.
  let status;
  await until(async () => (status = json(cli(["tenants", "move-status", tenant.id, "--json"]))).state === "done").catch((e) => {
    throw new Error(`${e.message}: ${JSON.stringify(status)}`);
  });
  assert.equal(json(cli(["tenants", "list", "--json"])).tenants.find((t) => t.id === tenant.id).shard, "DB_1");
  assert.equal(json(cli(["clients", "list", tenant.id, "--json"])).clients.length, 1);
  const human = cli(["tenants", "move-status", tenant.id]);
  assert.match(human.out, /DB → DB_1: done/);
  const same = cli(["tenants", "move", tenant.id, "DB_1"]);
  assert.equal(same.code, 1);
  assert.match(same.err, /400/);
  const late = cli(["tenants", "move-cancel", tenant.id]);
  assert.equal(late.code, 1);
  assert.match(late.err, /409/);
});
