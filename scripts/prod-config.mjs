#!/usr/bin/env node
// `npm run config:production`: writes the git-ignored wrangler.production.toml from the tracked
// wrangler.toml plus your git-ignored production.json (database id, public URL, custom domain,
// vars; docs/configuration.md).
// Your settings never live in edits to wrangler.toml, so `git pull` brings new bindings with no
// merge conflict; deploy and migrate scripts regenerate the file every time. Extra shards (D1
// databases DB_1 … DB_n, docs/operations.md "Adding a shard") are listed in production.json "shards".
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SETTINGS = `${ROOT}production.json`;
const OUT = `${ROOT}wrangler.production.toml`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Shard bindings after the first (DB): the Worker treats every DB_<n> binding as a shard. */
const SHARD_BINDING = /^DB_[1-9][0-9]{0,3}$/;
/** wrangler.toml's local placeholder and the dev shards' ids: a deploy bound to them has no database. */
const PLACEHOLDER_ID = /^0{8}-0{4}-0{4}-0{4}-0{11}[0-9]$/;
/**
 * The [vars] production.json may set ("vars": { "AUDIT_RETENTION_DAYS": "30" }); PUBLIC_URL comes
 * from "publicUrl". Secrets are never vars: they go through `wrangler secret bulk`.
 */
export const PRODUCTION_VARS = ["AUDIT_RETENTION_DAYS", "TENANT_MOVE_STEPS", "HUB_NAME_CHECK_TIMEOUT_MS"];
const databaseIdProblem = (id) =>
  !UUID.test(id ?? "") ? "must be the id `wrangler d1 create` printed" : PLACEHOLDER_ID.test(id) ? "is the placeholder id, not a database: run `npm run setup:production` or `npx wrangler d1 create`" : undefined;

function fail(message) {
  process.stderr.write(`config:production: ${message}\n`);
  process.exit(1);
}

/** Check production.json; every problem is named, so the first deploy cannot half-work. */
export function readSettings(text) {
  let s;
  try {
    s = JSON.parse(text);
  } catch (err) {
    fail(`production.json is not JSON: ${err.message}`);
  }
  const idProblem = databaseIdProblem(s.databaseId);
  if (idProblem) fail(`production.json: "databaseId" ${idProblem}`);
  const url = URL.parse(s.publicUrl ?? "");
  if (!url || url.protocol !== "https:" || url.pathname !== "/" || url.search) {
    fail('production.json: "publicUrl" must be the https origin Entra will call, e.g. "https://scim.example.com"');
  }
  if (s.customDomain !== undefined && s.customDomain !== url.hostname) {
    fail(`production.json: "customDomain" must be the host of publicUrl (${url.hostname})`);
  }
  if (s.name !== undefined && !/^[a-z0-9-]{1,63}$/.test(s.name)) fail('production.json: "name" must be a Worker name (a-z, 0-9, -)');
  readAdditionalDomains(s.additionalDomains, s.customDomain);
  return { ...s, publicUrl: url.origin, shards: readShards(s.shards, s.databaseId), vars: readVars(s.vars) };
}

/**
 * production.json "additionalDomains": further hosts routed to the Worker as Custom Domains (e.g.
 * a token provider host of its own, docs/auth.md). Tokens still name publicUrl, the SCIM host.
 */
function readAdditionalDomains(domains, customDomain) {
  if (domains === undefined) return;
  const HOST = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
  if (!Array.isArray(domains) || domains.some((d) => typeof d !== "string" || !HOST.test(d))) {
    fail('production.json: "additionalDomains" must be a list of host names, e.g. ["scim-token.example.com"]');
  }
  if (customDomain === undefined) fail('production.json: additionalDomains needs "customDomain" (the SCIM host) as well');
  if (new Set([customDomain, ...domains]).size !== domains.length + 1) fail('production.json: "additionalDomains" repeats a host');
}

/** production.json "vars": strings or numbers for the known [vars]; anything else is refused by name. */
function readVars(vars) {
  if (vars === undefined) return {};
  if (typeof vars !== "object" || vars === null || Array.isArray(vars)) fail('production.json: "vars" must be an object, e.g. { "AUDIT_RETENTION_DAYS": "30" }');
  const out = {};
  for (const [name, value] of Object.entries(vars)) {
    if (name === "PUBLIC_URL") fail('production.json: vars.PUBLIC_URL: set "publicUrl" instead');
    if (!PRODUCTION_VARS.includes(name)) fail(`production.json: vars.${name} is not a var of this service (known: ${PRODUCTION_VARS.join(", ")}; secrets go through \`wrangler secret bulk\`)`);
    if (!(typeof value === "string" || typeof value === "number") || !/^[0-9A-Za-z._:/-]*$/.test(String(value))) {
      fail(`production.json: vars.${name} must be a plain string or number`);
    }
    out[name] = String(value);
  }
  return out;
}

/** production.json "shards": [{ "binding": "DB_1", "databaseName": "…", "databaseId": "…" }, …]. */
function readShards(shards, firstId) {
  if (shards === undefined) return [];
  if (!Array.isArray(shards)) fail('production.json: "shards" must be a list of { binding, databaseName, databaseId }');
  const seen = new Set(["DB"]);
  const ids = new Set([firstId]);
  return shards.map((shard, i) => {
    const where = `production.json: shards[${i}]`;
    if (!SHARD_BINDING.test(shard?.binding ?? "")) fail(`${where}.binding must be DB_1, DB_2, … (the Worker's shard bindings)`);
    if (seen.has(shard.binding)) fail(`${where}.binding ${shard.binding} is listed twice`);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(shard.databaseName ?? "")) fail(`${where}.databaseName must be the D1 database's name`);
    const problem = databaseIdProblem(shard.databaseId);
    if (problem) fail(`${where}.databaseId ${problem}`);
    if (ids.has(shard.databaseId)) fail(`${where}.databaseId is already used by another shard`);
    seen.add(shard.binding);
    ids.add(shard.databaseId);
    return { binding: shard.binding, databaseName: shard.databaseName, databaseId: shard.databaseId };
  });
}

/** One shard's [[d1_databases]] table: same migrations as DB (every shard runs all of them). */
export const shardTable = ({ binding, databaseName, databaseId }) =>
  `[[d1_databases]]\nbinding = "${binding}"\ndatabase_name = "${databaseName}"\ndatabase_id = "${databaseId}"\nmigrations_dir = "migrations"\n`;

/** The config with further shards, appended as more [[d1_databases]] tables (valid anywhere in TOML). */
export const withShards = (toml, shards) =>
  shards.length === 0 ? toml : `${toml.trimEnd()}\n\n# Further shards (src/platform/d1/shards.ts)\n${shards.map(shardTable).join("\n")}`;

/** Every D1 binding a config declares, DB first: the shards `npm run db:migrate:*` migrates. */
export const shardBindingsOf = (toml) =>
  [...toml.matchAll(/^binding = "(DB(?:_[1-9][0-9]{0,3})?)"$/gm)].map((m) => m[1]);

/** Set each var in the [vars] table: its line replaced, or added right under the header. */
function withVars(toml, vars) {
  let out = toml;
  for (const [name, value] of Object.entries(vars)) {
    const line = new RegExp(`^${name} = ".*"$`, "m");
    out = line.test(out) ? out.replace(line, `${name} = "${value}"`) : out.replace(/^\[vars\]$/m, `[vars]\n${name} = "${value}"`);
  }
  return out;
}

/** wrangler.toml with the production values; top-level keys go above the first [table]. */
export function render(toml, s) {
  const replaceOnce = (text, pattern, value, what) => {
    const hits = text.match(new RegExp(pattern.source, "gm"))?.length ?? 0;
    if (hits !== 1) fail(`wrangler.toml: expected one ${what} line, found ${hits}`);
    return text.replace(new RegExp(pattern.source, "m"), value);
  };
  let out = replaceOnce(toml, /^database_id = ".*"$/, `database_id = "${s.databaseId}"`, "database_id");
  out = replaceOnce(out, /^PUBLIC_URL = ".*"$/, `PUBLIC_URL = "${s.publicUrl}"`, "PUBLIC_URL");
  const topLevel = [
    "# Generated by `npm run config:production` from wrangler.toml and production.json. Do not edit.",
    ...(s.name ? [`name = "${s.name}"`] : []),
    ...(s.customDomain ? [`routes = [${[s.customDomain, ...(s.additionalDomains ?? [])].map((d) => `{ pattern = "${d}", custom_domain = true }`).join(", ")}]`, "workers_dev = false"] : []),
  ];
  if (s.name) out = replaceOnce(out, /^name = ".*"$/, "", "name");
  out = withVars(out, s.vars ?? {});
  const firstTable = out.search(/^\[/m);
  const rendered = `${topLevel.join("\n")}\n${out.slice(0, firstTable)}${out.slice(firstTable)}`.replace(/\n{3,}/g, "\n\n");
  return withShards(rendered, s.shards ?? []);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(SETTINGS)) fail("production.json is missing: run `npm run setup:production -- --public-url https://…` (docs/deploy.md)");
  const settings = readSettings(readFileSync(SETTINGS, "utf8"));
  writeFileSync(OUT, render(readFileSync(`${ROOT}wrangler.toml`, "utf8"), settings));
  process.stderr.write(`config:production: wrote wrangler.production.toml for ${settings.publicUrl}\n`);
}
