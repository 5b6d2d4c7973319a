#!/usr/bin/env node
// `npm run smoke -- --url https://scim.example.com`: proves a deployment end to end the way an
// identity provider uses it — a throw-away tenant and SCIM client, a token, then create, read and
// delete of a throw-away user — and offboards the tenant at the end, also when a step failed, so
// nothing is left behind. Prints every call it makes. Admin token: --admin-token,
// EDGE_SCIM_ADMIN_TOKEN, or (localhost only) ADMIN_TOKEN in ./.dev.vars, as the CLI.
import { parseArgs } from "node:util";
import { connection } from "./cli/http.mjs";

const USAGE = `Usage: npm run smoke -- --url URL [--admin-token TOKEN]

Creates a throw-away tenant, a SCIM client and a token; creates, reads and deletes a user with it;
offboards the tenant. Exit 0 when every step answered as expected, 1 otherwise.`;

const log = (line) => process.stdout.write(`smoke: ${line}\n`);

class StepFailed extends Error {}

function parse() {
  try {
    return parseArgs({ options: { url: { type: "string" }, "admin-token": { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
  } catch (err) {
    process.stderr.write(`smoke: ${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

/** One HTTP call, printed as "METHOD path → status (what it showed)"; a wrong status stops the run. */
async function step(baseUrl, { method = "GET", path, headers = {}, body, form, expect, show }) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/scim+json";
    init.body = JSON.stringify(body);
  } else if (form) {
    init.headers["Content-Type"] = "application/x-www-form-urlencoded";
    init.body = new URLSearchParams(form);
  }
  const started = Date.now();
  let res;
  try {
    res = await fetch(`${baseUrl}${path}`, init);
  } catch (err) {
    throw new StepFailed(`${method} ${path}: cannot reach ${baseUrl} (${err.cause?.code ?? err.message})`);
  }
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { raw: text.slice(0, 200) };
  }
  const took = `${Date.now() - started} ms`;
  if (res.status !== expect) {
    const why = data?.detail ?? data?.error?.message ?? data?.error_description ?? data?.error ?? data?.raw ?? "";
    throw new StepFailed(`${method} ${path} → ${res.status}, expected ${expect}${why ? `: ${typeof why === "string" ? why : JSON.stringify(why)}` : ""} (${took})`);
  }
  log(`${method} ${path} → ${res.status}${show ? ` ${show(data)}` : ""} (${took})`);
  return data;
}

async function main() {
  const values = parse();
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const conn = connection(values);
  const base = conn.url;
  const admin = { Authorization: `Bearer ${conn.token()}` };
  const stamp = new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15);
  log(`against ${base}`);
  await step(base, { path: "/health", expect: 200 });
  const tenant = await step(base, {
    method: "POST",
    path: "/admin/v1/tenants",
    headers: admin,
    body: { name: `smoke test ${stamp} (delete me)` },
    expect: 201,
    show: (d) => `tenant ${d.id} on shard ${d.shard}`,
  });
  let failure;
  try {
    await scimRoundTrip(base, admin, tenant.id, stamp);
  } catch (err) {
    failure = err;
  }
  // Always offboard: a failed smoke test must not leave a live tenant (and a client) behind.
  try {
    await step(base, {
      method: "DELETE",
      path: `/admin/v1/tenants/${tenant.id}`,
      headers: admin,
      expect: 202,
      show: (d) => `tenant ${d.id} is ${d.state} (offboarded: its credentials stop now, the cron purges its data)`,
    });
  } catch (err) {
    failure ??= err;
    log(`could not offboard tenant ${tenant.id} (${err.message}): delete it with \`npx edge-scim tenants delete ${tenant.id} --url ${base}\``);
  }
  if (failure) throw failure;
  log(`ok: token, SCIM create, read and delete work at ${base}`);
}

async function scimRoundTrip(base, admin, tenantId, stamp) {
  const client = await step(base, {
    method: "POST",
    path: `/admin/v1/tenants/${tenantId}/clients`,
    headers: admin,
    body: { name: "smoke test" },
    expect: 201,
    show: (d) => `client ${d.client_id}`,
  });
  const token = await step(base, {
    method: "POST",
    path: "/oauth/token",
    form: { grant_type: "client_credentials", client_id: client.client_id, client_secret: client.client_secret, expires_in: "300" },
    expect: 200,
    show: (d) => `${d.token_type} token for ${d.expires_in} s`,
  });
  const bearer = { Authorization: `Bearer ${token.access_token}` };
  const userName = `smoke-${stamp.toLowerCase()}@example.invalid`;
  const user = await step(base, {
    method: "POST",
    path: "/scim/v2/Users",
    headers: bearer,
    body: {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName,
      name: { givenName: "Smoke", familyName: "Test" },
      emails: [{ value: userName, type: "work", primary: true }],
      active: true,
    },
    expect: 201,
    show: (d) => `user ${d.id} (${d.userName})`,
  });
  const read = await step(base, { path: `/scim/v2/Users/${user.id}`, headers: bearer, expect: 200, show: (d) => `userName ${d.userName}` });
  if (read.userName !== userName) throw new StepFailed(`GET /scim/v2/Users/${user.id} answered userName ${read.userName}, expected ${userName}`);
  await step(base, { method: "DELETE", path: `/scim/v2/Users/${user.id}`, headers: bearer, expect: 204 });
  await step(base, { path: `/scim/v2/Users/${user.id}`, headers: bearer, expect: 404, show: () => "(gone)" });
}

main().catch((err) => {
  process.stderr.write(`smoke: FAILED: ${err instanceof StepFailed ? err.message : err.stack}\n`);
  process.exit(1);
});
