// The CLI never sends the dev ADMIN_TOKEN from .dev.vars to a URL that is not local: real CLI
// processes against two recording HTTP servers, one named localhost, one on another address.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";

const CLI = fileURLToPath(new URL("../../scripts/cli.mjs", import.meta.url));
const DEV_TOKEN = "dev-admin-never-leaves-this-machine-0123";
let dir;

/** A server that records the Authorization header of every request it gets. */
function recorder(host) {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? null);
    res.writeHead(200, { "Content-Type": "application/json" }).end('{"tenants":[]}');
  });
  return new Promise((resolve) => server.listen(0, host, () => resolve({ seen, port: server.address().port, close: () => server.close() })));
}

/** The CLI as a real process in a directory holding a .dev.vars, with no token in its environment. */
function cli(args) {
  const env = { ...process.env };
  delete env.EDGE_SCIM_ADMIN_TOKEN;
  delete env.EDGE_SCIM_URL;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "edge-scim-cli-"));
  writeFileSync(join(dir, ".dev.vars"), `ADMIN_TOKEN='${DEV_TOKEN}'\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("the .dev.vars token goes to localhost only; any other URL needs an explicit token", async () => {
  const local = await recorder("127.0.0.1");
  // 127.0.0.2 is this machine too, but not a name the dev server uses: it stands for a remote URL.
  const remote = await recorder("127.0.0.2");
  try {
    const toLocal = await cli(["tenants", "list", "--json", "--url", `http://localhost:${local.port}`]);
    assert.equal(toLocal.code, 0, toLocal.err);
    assert.deepEqual(local.seen, [`Bearer ${DEV_TOKEN}`]);

    const toRemote = await cli(["tenants", "list", "--url", `http://127.0.0.2:${remote.port}`]);
    assert.equal(toRemote.code, 2);
    assert.match(toRemote.err, /no admin token for http:\/\/127\.0\.0\.2/);
    assert.deepEqual(remote.seen, [], "nothing may reach a non-local URL");

    const explicit = await cli(["tenants", "list", "--url", `http://127.0.0.2:${remote.port}`, "--admin-token", "prod-token-given-on-purpose"]);
    assert.equal(explicit.code, 0, explicit.err);
    assert.deepEqual(remote.seen, ["Bearer prod-token-given-on-purpose"]);
    assert.ok(!remote.seen.includes(`Bearer ${DEV_TOKEN}`));
  } finally {
    local.close();
    remote.close();
  }
});
