// End-to-end: the `edge-scim` CLI (package bin, scripts/cli.mjs) against the real dev stack:
// help, tenants, clients, tokens, provisioning, audit; --json output and exit codes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
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
  for (const word of ["tenants create", "clients rotate", "tokens issue", "provisioning status", "audit tail", "--json"]) {
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
