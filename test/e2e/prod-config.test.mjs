// `npm run config:production`: wrangler.production.toml from the tracked wrangler.toml and a
// production.json, in a throw-away copy; bad settings are refused with a reason, nothing written.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

function sandbox(settings) {
  const dir = mkdtempSync(join(tmpdir(), "edge-scim-prod-"));
  mkdirSync(join(dir, "scripts"));
  cpSync(join(REPO, "scripts/prod-config.mjs"), join(dir, "scripts/prod-config.mjs"));
  cpSync(join(REPO, "wrangler.toml"), join(dir, "wrangler.toml"));
  if (settings) writeFileSync(join(dir, "production.json"), JSON.stringify(settings));
  const res = spawnSync(process.execPath, [join(dir, "scripts/prod-config.mjs")], { encoding: "utf8" });
  const out = join(dir, "wrangler.production.toml");
  const text = existsSync(out) ? readFileSync(out, "utf8") : undefined;
  rmSync(dir, { recursive: true, force: true });
  return { code: res.status, err: res.stderr, text };
}

const GOOD = { databaseId: "3f1c1e2a-1111-4222-8333-444455556666", publicUrl: "https://scim.example.com/", customDomain: "scim.example.com" };

test("writes the production config: ids and URL set, routes above the first table", () => {
  const { code, err, text } = sandbox(GOOD);
  assert.equal(code, 0, err);
  assert.match(text, /^database_id = "3f1c1e2a-1111-4222-8333-444455556666"$/m);
  assert.match(text, /^PUBLIC_URL = "https:\/\/scim\.example\.com"$/m);
  const routes = text.indexOf('routes = [{ pattern = "scim.example.com", custom_domain = true }]');
  assert.ok(routes >= 0 && routes < text.search(/^\[/m), "routes must sit above the first table");
  const tracked = readFileSync(join(REPO, "wrangler.toml"), "utf8");
  assert.equal((text.match(/^\[\[ratelimits\]\]$/gm) ?? []).length, (tracked.match(/^\[\[ratelimits\]\]$/gm) ?? []).length);
});

test("refuses missing or wrong settings and writes nothing", () => {
  for (const [settings, reason] of [
    [undefined, /production\.json is missing/],
    [{ ...GOOD, databaseId: "edge-scim" }, /databaseId/],
    // wrangler.toml's placeholder is a UUID too: deploying with it binds no real database.
    [{ ...GOOD, databaseId: "00000000-0000-0000-0000-000000000000" }, /databaseId" is the placeholder/],
    [{ ...GOOD, shards: [{ binding: "DB_1", databaseName: "s1", databaseId: "00000000-0000-0000-0000-000000000001" }] }, /shards\[0\]\.databaseId is the placeholder/],
    [{ ...GOOD, vars: { PUBLIC_URL: "https://x.example.com" } }, /set "publicUrl" instead/],
    [{ ...GOOD, additionalDomains: ["not a host"] }, /additionalDomains/],
    [{ ...GOOD, additionalDomains: ["scim.example.com"] }, /additionalDomains/],
    [{ publicUrl: GOOD.publicUrl, databaseId: GOOD.databaseId, additionalDomains: ["token.example.com"] }, /additionalDomains needs "customDomain"/],
    [{ ...GOOD, vars: { ADMIN_TOKEN: "secret-in-a-var" } }, /vars\.ADMIN_TOKEN is not a var/],
    [{ ...GOOD, vars: { AUDIT_RETENTION_DAYS: "30\"\n[evil]" } }, /plain string or number/],
    [{ ...GOOD, publicUrl: "http://scim.example.com" }, /publicUrl/],
    [{ ...GOOD, publicUrl: "https://scim.example.com/scim/v2" }, /publicUrl/],
    [{ ...GOOD, customDomain: "other.example.com" }, /customDomain/],
  ]) {
    const { code, err, text } = sandbox(settings);
    assert.equal(code, 1);
    assert.match(err, reason);
    assert.equal(text, undefined);
  }
});

test("production.json vars replace wrangler.toml's or are added under [vars]", () => {
  const { code, err, text } = sandbox({ ...GOOD, vars: { AUDIT_RETENTION_DAYS: 30, TENANT_MOVE_STEPS: "400" } });
  assert.equal(code, 0, err);
  const vars = text.slice(text.indexOf("[vars]"), text.indexOf("\n[", text.indexOf("[vars]") + 1));
  assert.match(vars, /^AUDIT_RETENTION_DAYS = "30"$/m);
  assert.match(vars, /^TENANT_MOVE_STEPS = "400"$/m);
  assert.equal((text.match(/^AUDIT_RETENTION_DAYS = /gm) ?? []).length, 1);
});

test("additionalDomains: a second host (e.g. Eptura's token provider host) routed to the Worker, no edit of wrangler.toml", () => {
  const { code, err, text } = sandbox({ ...GOOD, additionalDomains: ["scim-token.example.com"] });
  assert.equal(code, 0, err);
  const routes = text.indexOf('routes = [{ pattern = "scim.example.com", custom_domain = true }, { pattern = "scim-token.example.com", custom_domain = true }]');
  assert.ok(routes >= 0 && routes < text.search(/^\[/m), text.slice(0, 400));
  assert.match(text, /^PUBLIC_URL = "https:\/\/scim\.example\.com"$/m, "tokens keep naming the SCIM host");
});
