// `npm run smoke`: the real script against the real dev stack (test/e2e/stack.mjs). It must make
// every call it claims, print them, and leave no live tenant behind — also when a step fails.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { startStack } from "./stack.mjs";

const SMOKE = fileURLToPath(new URL("../../scripts/smoke.mjs", import.meta.url));
let stack;

before(async () => {
  stack = await startStack();
}, { timeout: 180_000 });
after(async () => stack?.stop());

function smoke(args) {
  const env = { ...process.env };
  delete env.EDGE_SCIM_ADMIN_TOKEN;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SMOKE, ...args], { env });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

async function admin(path) {
  const res = await fetch(`${stack.baseUrl}/admin/v1${path}`, { headers: { Authorization: `Bearer ${stack.adminToken}` } });
  return { status: res.status, body: await res.json() };
}

const tenantIdOf = (out) => /tenant (\S+) on shard/.exec(out)?.[1];

test("token, create, read, delete of a throw-away user; the throw-away tenant is offboarded", { timeout: 60_000 }, async () => {
  const { code, out } = await smoke(["--url", stack.baseUrl, "--admin-token", stack.adminToken]);
  assert.equal(code, 0, out);
  for (const line of [
    /GET \/health → 200/,
    /POST \/admin\/v1\/tenants → 201 tenant \S+ on shard DB/,
    /POST \/admin\/v1\/tenants\/\S+\/clients → 201 client \S+/,
    /POST \/oauth\/token → 200 Bearer token for 300 s/,
    /POST \/scim\/v2\/Users → 201 user \S+ \(smoke-\S+@example\.invalid\)/,
    /GET \/scim\/v2\/Users\/\S+ → 200 userName smoke-/,
    /DELETE \/scim\/v2\/Users\/\S+ → 204/,
    /GET \/scim\/v2\/Users\/\S+ → 404 \(gone\)/,
    /DELETE \/admin\/v1\/tenants\/\S+ → 202 tenant \S+ is deleting/,
    /ok: token, SCIM create, read and delete work/,
  ]) {
    assert.match(out, line);
  }
  const tenant = await admin(`/tenants/${tenantIdOf(out)}`);
  assert.equal(tenant.status, 200);
  assert.notEqual(tenant.body.state, "active", "the smoke tenant must not stay active");
});

test("a step that fails stops the run with its answer, and the tenant is offboarded all the same", { timeout: 60_000 }, async () => {
  // The service as a client would see it if SCIM writes failed: a proxy answering 503 to POST /Users.
  const proxy = createServer(async (req, res) => {
    if (req.method === "POST" && req.url === "/scim/v2/Users") {
      res.writeHead(503, { "Content-Type": "application/scim+json" }).end(JSON.stringify({ detail: "shard unavailable", status: "503" }));
      return;
    }
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const upstream = await fetch(`${stack.baseUrl}${req.url}`, {
      method: req.method,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length"].includes(k))),
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(upstream.status, { "Content-Type": upstream.headers.get("content-type") ?? "application/json" }).end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise((r) => proxy.listen(0, "127.0.0.1", r));
  try {
    const { code, out } = await smoke(["--url", `http://127.0.0.1:${proxy.address().port}`, "--admin-token", stack.adminToken]);
    assert.equal(code, 1, out);
    assert.match(out, /FAILED: POST \/scim\/v2\/Users → 503, expected 201: shard unavailable/);
    assert.match(out, /DELETE \/admin\/v1\/tenants\/\S+ → 202/);
    const tenant = await admin(`/tenants/${tenantIdOf(out)}`);
    assert.notEqual(tenant.body.state, "active");
  } finally {
    proxy.close();
  }
});

test("a wrong admin token: the first admin call's answer, nothing created", { timeout: 30_000 }, async () => {
  const before = (await admin("/tenants")).body.tenants.length;
  const { code, out } = await smoke(["--url", stack.baseUrl, "--admin-token", "not-the-admin-token-0123456789"]);
  assert.equal(code, 1);
  assert.match(out, /FAILED: POST \/admin\/v1\/tenants → 401, expected 201/);
  assert.equal((await admin("/tenants")).body.tenants.length, before);
});
