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
