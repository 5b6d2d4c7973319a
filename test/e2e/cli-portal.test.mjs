// End-to-end: the CLI's setup-link (create, list, revoke), api-token, portal-session and tokens
// expiring commands against the real dev stack; the link it prints opens a portal session exactly once, and revoking ends it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { startStack } from "./stack.mjs";

const CLI = fileURLToPath(new URL("../../scripts/cli.mjs", import.meta.url));
const run = Math.random().toString(36).slice(2, 8);
let stack;

function cli(args) {
  const res = spawnSync(process.execPath, [CLI, ...args, "--url", stack.baseUrl], {
    encoding: "utf8",
    env: { ...process.env, EDGE_SCIM_ADMIN_TOKEN: stack.adminToken },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}
const json = (r) => {
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
};

/** What the portal page does with the fragment's secret: POST it for a session. */
async function openPortal(url) {
  const link = new URL(url).hash.replace(/^#setup=/, "");
  const res = await fetch(`${stack.baseUrl}/portal/v1/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ link }) });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-scim_portal="))?.split(";")[0];
  return { status: res.status, cookie, csrf: res.status === 201 ? (await res.json()).csrf_token : undefined };
}

before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

test("--help lists the portal commands", () => {
  const help = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
  for (const word of ["setup-link create", "setup-link list", "setup-link revoke", "tokens expiring", "--within-days"]) {
    assert.match(help.stdout, new RegExp(word.replace("-", "\\-")));
  }
});

test("setup-link create, list and revoke: the link opens one session, revoking ends it", async () => {
  const tenant = json(cli(["tenants", "create", `CLI Portal ${run}`, "--json"]));
  const human = cli(["setup-link", "create", tenant.id, "--days", "3", "--note", "for Jane"]);
  assert.equal(human.code, 0, human.err);
  const url = /^(http\S+)$/m.exec(human.out)?.[1];
  assert.match(url ?? "", new RegExp(`^${stack.baseUrl}/portal/#setup=`));
  assert.match(human.out, /single use, expires .* shown once/);
  const days = (Date.parse(/expires (\S+)/.exec(human.out)[1]) - Date.now()) / 86_400_000;
  assert.ok(days > 2.9 && days <= 3, `${days} days`);

  const listed = json(cli(["setup-link", "list", tenant.id, "--json"])).links;
  assert.equal(listed.length, 1);
  assert.deepEqual([listed[0].status, listed[0].note], ["active", "for Jane"]);
  assert.equal(JSON.stringify(listed).includes(new URL(url).hash.slice(7)), false, "the list never shows the secret");

  const first = await openPortal(url);
  assert.equal(first.status, 201);
  assert.equal((await openPortal(url)).status, 401, "a used link opens nothing");
  assert.equal(json(cli(["setup-link", "list", tenant.id, "--json"])).links[0].status, "used");
  const alive = await fetch(`${stack.baseUrl}/portal/v1/session`, { headers: { Cookie: first.cookie } });
  assert.equal(alive.status, 200);

  const revoked = cli(["setup-link", "revoke", tenant.id, listed[0].id]);
  assert.equal(revoked.code, 0, revoked.err);
  assert.match(revoked.out, /revoked setup link .* sessions opened with it have ended/);
  assert.equal(json(cli(["setup-link", "list", tenant.id, "--json"])).links[0].status, "revoked");
  assert.equal((await fetch(`${stack.baseUrl}/portal/v1/session`, { headers: { Cookie: first.cookie } })).status, 401);
});

test("setup-link refuses bad input: --days out of range (2), an unknown link (1)", () => {
  const tenant = json(cli(["tenants", "create", `CLI Portal bad ${run}`, "--json"]));
  const days = cli(["setup-link", "create", tenant.id, "--days", "31"]);
  assert.equal(days.code, 2);
  assert.match(days.err, /--days must be a whole number from 1 to 30/);
  const unknown = cli(["setup-link", "revoke", tenant.id, "00000000-0000-0000-0000-000000000000"]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /404/);
  assert.equal(cli(["setup-link", "create"]).code, 2);
});

test("tokens expiring lists live tokens inside the window, soonest first, and not revoked ones", () => {
  const tenant = json(cli(["tenants", "create", `CLI Expiry ${run}`, "--json"]));
  const client = json(cli(["clients", "create", tenant.id, "entra", "--json"]));
  const soon = json(cli(["tokens", "issue", tenant.id, client.client_id, "--expires-in", String(5 * 86_400), "--json"]));
  const later = json(cli(["tokens", "issue", tenant.id, client.client_id, "--expires-in", String(60 * 86_400), "--json"]));

  const listed = json(cli(["tokens", "expiring", "--json"]));
  assert.equal(listed.within_days, 30);
  const mine = listed.tokens.filter((t) => t.tenant_id === tenant.id);
  assert.deepEqual(mine.map((t) => [t.jti, t.days_left, t.tenant_name]), [[soon.jti, 4, `CLI Expiry ${run}`]]);
  assert.ok(json(cli(["tokens", "expiring", "--within-days", "90", "--json"])).tokens.some((t) => t.jti === later.jti));
  assert.ok(!json(cli(["tokens", "expiring", "--within-days", "3", "--json"])).tokens.some((t) => t.tenant_id === tenant.id));

  const human = cli(["tokens", "expiring"]);
  assert.equal(human.code, 0, human.err);
  assert.match(human.out, new RegExp(`CLI Expiry ${run}`));
  assert.equal(cli(["tokens", "revoke", tenant.id, soon.jti]).code, 0);
  assert.ok(!json(cli(["tokens", "expiring", "--json"])).tokens.some((t) => t.jti === soon.jti), "a revoked token is not listed");
  assert.equal(cli(["tokens", "expiring", "--within-days", "0"]).code, 2);
});

test("api-token list/show/revoke and portal-session list/revoke: what the customer made is visible and revocable", async () => {
  const tenant = json(cli(["tenants", "create", `CLI Creds ${run}`, "--json"]));
  const link = json(cli(["setup-link", "create", tenant.id, "--json"]));
  const session = await openPortal(link.url);
  assert.equal(session.status, 201);
  const write = (path, body) => fetch(`${stack.baseUrl}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: session.cookie, "X-CSRF-Token": session.csrf },
    body: JSON.stringify(body),
  });
  const made = await write("/portal/v1/api-tokens", { name: "ci-script", expires_in_days: 5 });
  assert.equal(made.status, 201);
  const apiToken = await made.json();
  const viaToken = await fetch(`${stack.baseUrl}/admin/v1/tenants/${tenant.id}/clients`, {
    method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${apiToken.token}` }, body: JSON.stringify({ name: "from-script" }),
  });
  assert.equal(viaToken.status, 201);
  const client = await viaToken.json();

  const listed = json(cli(["api-token", "list", tenant.id, "--json"])).api_tokens;
  assert.deepEqual(listed.map((t) => [t.id, t.name, t.ends_with_creator]), [[apiToken.id, "ci-script", true]]);
  assert.match(listed[0].created_by, /^session:/);
  assert.equal(JSON.stringify(listed).includes(apiToken.token), false, "the list never shows the secret");
  const shown = json(cli(["api-token", "show", tenant.id, apiToken.id, "--json"]));
  assert.deepEqual(shown.created.clients.map((c) => c.client_id), [client.client_id]);
  assert.ok(json(cli(["tokens", "expiring", "--json"])).api_tokens.some((t) => t.id === apiToken.id));
  const sessions = json(cli(["portal-session", "list", tenant.id, "--json"])).portal_sessions;
  assert.deepEqual(sessions.map((s) => [s.id, s.status]), [[listed[0].created_by.slice("session:".length), "active"]]);

  const revoked = cli(["api-token", "revoke", tenant.id, apiToken.id]);
  assert.equal(revoked.code, 0, revoked.err);
  assert.match(revoked.out, /revoked API token/);
  const clients = await (await fetch(`${stack.baseUrl}/admin/v1/tenants/${tenant.id}/clients`, { headers: { Authorization: `Bearer ${stack.adminToken}` } })).json();
  assert.equal(clients.clients.find((c) => c.client_id === client.client_id).status, "revoked", "what the token made ended with it");

  const ended = cli(["portal-session", "revoke", tenant.id, sessions[0].id]);
  assert.equal(ended.code, 0, ended.err);
  assert.equal((await fetch(`${stack.baseUrl}/portal/v1/session`, { headers: { Cookie: session.cookie } })).status, 401);
  assert.equal(json(cli(["portal-session", "list", tenant.id, "--json"])).portal_sessions[0].status, "revoked");
  assert.equal(cli(["api-token", "revoke", tenant.id, apiToken.id]).code, 1, "already revoked: 404");
});
