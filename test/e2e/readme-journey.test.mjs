// The local journey, followed literally: README.md's "Run it" and "Quickstart" against the real
// `npm run dev` (test/e2e/stack.mjs: a throw-away checkout on a free port pair). The README's own
// `sh` block is run as written, substituting only what the README tells the reader to take from
// elsewhere: the port (8787/8788 become the stack's) and the client id and secret the banner
// prints. Then what the README promises: the user arrives in the Device Hub emulator, the console
// URL it names answers and the ADMIN_TOKEN of .dev.vars signs in, the dev tenant's sync log shows
// "Create user … done" for that user, and the CLI line it gives lists the dev tenant. A README step
// that does not work as written fails here.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { startStack } from "./stack.mjs";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const README = readFileSync(join(REPO, "README.md"), "utf8");
let stack;
const seen = {};

before(async () => {
  stack = await startStack();
}, { timeout: 180_000 });
after(async () => stack?.stop());

/** One `## ` section of the README. */
function section(title) {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README.md has no section "${title}"`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** What the README names as the local service and hub, swapped for this stack's ports. */
const onThisStack = (text) =>
  text.replaceAll("http://localhost:8787", stack.baseUrl).replaceAll("http://localhost:8788", stack.hubUrl);

/** The banner's "Client id / secret" line: what the README tells the reader to copy. */
function bannerCredentials() {
  const m = /Client id \/ secret\s+(\S+)\s+(\S+)/.exec(stack.output());
  assert.ok(m, `the banner prints no client id and secret:\n${stack.output()}`);
  return { clientId: m[1], clientSecret: m[2] };
}

test("Run it: the commands the README gives are npm scripts that exist, and npm run dev printed the banner it describes", () => {
  const run = section("Run it");
  const block = /```sh\n([\s\S]*?)```/.exec(run)?.[1];
  assert.ok(block, "the Run it section has a sh block");
  const scripts = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).scripts;
  for (const line of block.split("\n").filter((l) => l.trim())) {
    const [, script] = /^npm (?:run )?(\S+)/.exec(line.trim()) ?? [];
    assert.ok(script, `not an npm command: ${line}`);
    if (script !== "install" && script !== "test") assert.ok(scripts[script], `package.json has no script ${script}`);
  }
  // "npm run dev … prints what to call": the banner the quickstart refers to.
  assert.match(stack.output(), /Get a token and create a user:/);
  assert.match(block, /service on :8787, Device Hub emulator on :8788/);
  assert.equal(stack.hubUrl, stack.baseUrl.replace(/\d+$/, (p) => String(Number(p) + 1)), "the emulator is on the service's port + 1");
});

test("Quickstart: the README's block, with the banner's credentials, creates a user that arrives in the Device Hub emulator", { timeout: 120_000 }, async () => {
  const quick = section("Quickstart");
  const block = /```sh\n([\s\S]*?)```/.exec(quick)?.[1];
  assert.ok(block, "the Quickstart has a sh block");
  assert.match(block, /<client id>:<client secret>/, "the README shows where the credentials go");
  const { clientId, clientSecret } = bannerCredentials();
  const script = onThisStack(block).replace("<client id>", clientId).replace("<client secret>", clientSecret);
  // The last command reads the emulator; the others create the user. Split where the README does.
  const lines = script.split("\n");
  const hubAt = lines.findIndex((l) => l.includes("/__control/state"));
  assert.ok(hubAt > 0, "the Quickstart shows the emulator's state");
  const create = spawnSync("bash", ["-ec", lines.slice(0, hubAt).join("\n")], { encoding: "utf8", timeout: 60_000 });
  assert.equal(create.status, 0, `${create.stdout}\n${create.stderr}`);
  const user = JSON.parse(create.stdout);
  const userName = /"userName":"([^"]+)"/.exec(block)?.[1];
  assert.equal(user.userName, userName, create.stdout);
  assert.ok(user.id, "201 and the user");
  seen.userName = userName;
  seen.userId = user.id;

  // "Within seconds the last command shows Ada in the Device Hub emulator."
  const deadline = Date.now() + 90_000;
  for (;;) {
    const state = spawnSync("bash", ["-ec", lines.slice(hubAt).join("\n")], { encoding: "utf8", timeout: 30_000 });
    assert.equal(state.status, 0, state.stderr);
    const hubUser = JSON.parse(state.stdout).users?.find((u) => u.userName === userName);
    if (hubUser) {
      assert.equal(hubUser.externalRef, user.id, "the hub user is the SCIM user");
      assert.equal(hubUser.givenName, "Ada");
      break;
    }
    assert.ok(Date.now() < deadline, `Ada never reached the emulator:\n${state.stdout}`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

test("Quickstart: the console URL it names answers, ADMIN_TOKEN from .dev.vars signs in, and the dev tenant's sync shows Create user … done", { timeout: 60_000 }, async () => {
  const quick = section("Quickstart");
  const consoleUrl = /<(http:\/\/localhost:\d+\/admin)>/.exec(quick)?.[1];
  assert.ok(consoleUrl, "the Quickstart names the console's URL");
  const page = await fetch(onThisStack(consoleUrl));
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<html/i);

  // "sign in with ADMIN_TOKEN from .dev.vars": the value as the file holds it, pasted as is.
  const token = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(join(stack.dir, ".dev.vars"), "utf8"))?.[1];
  assert.ok(token && !/^['"]/.test(token), ".dev.vars holds the token without quotes to copy");
  const admin = (path) => fetch(`${stack.baseUrl}/admin/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const tenants = await (await admin("/tenants")).json();
  const dev = tenants.tenants.find((t) => t.name === "Dev tenant");
  assert.ok(dev, JSON.stringify(tenants));

  // What the tenant's page shows: the sync log entry that carried the user, and the audit row.
  assert.ok(seen.userId, "the quickstart test ran first");
  const logs = await (await admin(`/tenants/${dev.id}/provisioning/logs`)).json();
  const entry = logs.entries.find((e) => e.scimId === seen.userId && e.action === "user.create");
  assert.ok(entry, JSON.stringify(logs));
  assert.equal(entry.result, "ok");
  assert.equal(entry.name, seen.userName);
  const audit = await (await admin(`/tenants/${dev.id}/audit`)).json();
  assert.ok(audit.entries.some((e) => e.method === "POST" && e.resourceId === seen.userId), JSON.stringify(audit));
});

test("Quickstart: the CLI lines it gives work on this port with --url", () => {
  const quick = section("Quickstart");
  const help = /`(npx edge-scim --help)`/.exec(quick)?.[1];
  const list = /`(npx edge-scim tenants list --url http:\/\/localhost:\d+)`/.exec(quick)?.[1];
  assert.ok(help && list, "the Quickstart gives the CLI's help and its --url");
  // npx resolves the package's bin to scripts/cli.mjs; run that, with the stack's URL.
  const cli = (line) => spawnSync(process.execPath, ["scripts/cli.mjs", ...line.split(" ").slice(2)], { cwd: stack.dir, encoding: "utf8" });
  assert.equal(cli(help).status, 0);
  const res = cli(list.replace(/http:\/\/localhost:\d+/, stack.baseUrl));
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /Dev tenant/);
});
