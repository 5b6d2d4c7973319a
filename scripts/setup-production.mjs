#!/usr/bin/env node
// `npm run setup:production -- --public-url https://scim.example.com [--shards N]`: creates, with
// wrangler, what a first deploy needs and records it in production.json — a D1 database per shard
// (DB, then DB_1 … DB_N), every queue wrangler.toml names (sync, its dead-letter queue, moves), and
// the secrets `edge-scim keys init` makes — then writes wrangler.production.toml. Safe to re-run:
// it looks each thing up first and only creates what is missing; a secret that is set is never
// replaced (a new SIGNING_KEY would end every issued token, a new HUB_KEY_ENCRYPTION_KEY every
// stored hub key). Runs `wrangler` from PATH (npm puts node_modules/.bin first).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { firstDeploymentSecrets } from "./cli/commands-keys.mjs";
import { readSettings, render } from "./prod-config.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SETTINGS = `${ROOT}production.json`;
const PROD_CONFIG = "wrangler.production.toml";
const REQUIRED_SECRETS = ["ADMIN_TOKEN", "SIGNING_KEY", "HUB_KEY_ENCRYPTION_KEY"];

const USAGE = `Usage: npm run setup:production -- --public-url https://scim.example.com [options]

  --public-url URL     the https origin Entra will call (kept in production.json after the first run)
  --shards N           further D1 shards DB_1 … DB_N (default: as production.json lists; 0 at first)
  --name NAME          Worker name (default: production.json "name", else wrangler.toml's)
  --no-custom-domain   serve on the URL as given (e.g. a workers.dev one) instead of making its host
                       a Custom Domain of the Worker
  --location HINT      primary location hint for new databases (weur, eeur, apac, oc, wnam, enam)

Needs \`npx wrangler login\` (or CLOUDFLARE_API_TOKEN) first. Safe to run again: existing databases,
queues and secrets are found and kept. Then: npm run db:migrate:remote && npm run deploy.`;

const log = (line) => process.stderr.write(`setup:production: ${line}\n`);

function fail(message) {
  log(message);
  process.exit(1);
}

/** One wrangler call; its output is returned, not shown, unless it fails and `allowFailure` is off. */
function wrangler(args, { input, allowFailure = false } = {}) {
  const res = spawnSync("wrangler", args, {
    cwd: ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (res.error) fail(`could not run wrangler (${res.error.message}); run this through \`npm run setup:production\``);
  const output = `${res.stdout}${res.stderr}`;
  if (res.status !== 0 && !allowFailure) {
    fail(`\`wrangler ${args.join(" ")}\` failed:\n${output.trim()}\n(not logged in? \`npx wrangler login\`, or set CLOUDFLARE_API_TOKEN)`);
  }
  return { ok: res.status === 0, output, stdout: res.stdout };
}

/** The JSON a wrangler command printed: from the first line that opens it, past any banner or "▲ [WARNING]". */
function jsonOf(stdout, what) {
  const start = stdout.search(/^[[{]/m);
  try {
    return JSON.parse(stdout.slice(start));
  } catch {
    return fail(`could not read the answer of ${what}:\n${stdout.trim()}`);
  }
}

const listDatabases = () => jsonOf(wrangler(["d1", "list", "--json"]).stdout, "`wrangler d1 list --json`");

/** The database named `name` (created if missing); `knownId` from production.json must exist. */
function ensureDatabase(name, knownId, location, databases) {
  if (knownId) {
    const known = databases.find((db) => db.uuid === knownId);
    if (!known) fail(`production.json names database ${knownId}, which \`wrangler d1 list\` does not show: another account, or deleted?`);
    log(`D1 ${known.name}: exists (${known.uuid})`);
    return known.uuid;
  }
  const existing = databases.find((db) => db.name === name);
  if (existing) {
    log(`D1 ${name}: exists (${existing.uuid})`);
    return existing.uuid;
  }
  wrangler(["d1", "create", name, ...(location ? ["--location", location] : [])]);
  const created = listDatabases().find((db) => db.name === name);
  if (!created) fail(`\`wrangler d1 create ${name}\` succeeded but \`wrangler d1 list\` does not show it`);
  log(`D1 ${name}: created (${created.uuid})`);
  return created.uuid;
}

/** Every queue wrangler.toml produces to, consumes from or dead-letters into. */
export const queueNamesOf = (toml) => [...new Set([...toml.matchAll(/^(?:queue|dead_letter_queue) = "([^"]+)"$/gm)].map((m) => m[1]))];

/** The queue's id; the queue is created if `wrangler queues info` says it does not exist. */
function ensureQueue(name) {
  const info = wrangler(["queues", "info", name], { allowFailure: true });
  if (!info.ok && !/does not exist/.test(info.output)) fail(`\`wrangler queues info ${name}\` failed:\n${info.output.trim()}`);
  if (!info.ok) wrangler(["queues", "create", name]);
  const id = /Queue ID: (\S+)/.exec(info.ok ? info.output : wrangler(["queues", "info", name]).output)?.[1];
  log(`queue ${name}: ${info.ok ? "exists" : "created"}${id ? ` (${id})` : ""}`);
  return id ?? null;
}

/** Set the secrets the Worker lacks; returns the names set. A Worker not deployed yet has none. */
async function ensureSecrets() {
  const listed = wrangler(["secret", "list", "-c", PROD_CONFIG], { allowFailure: true });
  if (!listed.ok && !/not found/i.test(listed.output)) fail(`\`wrangler secret list\` failed:\n${listed.output.trim()}`);
  const present = new Set(listed.ok ? jsonOf(listed.stdout, "`wrangler secret list`").map((s) => s.name) : []);
  const missing = REQUIRED_SECRETS.filter((name) => !present.has(name));
  for (const name of REQUIRED_SECRETS.filter((n) => present.has(n))) log(`secret ${name}: set (kept)`);
  if (missing.length === 0) return [];
  const fresh = await firstDeploymentSecrets();
  const secrets = Object.fromEntries(missing.map((name) => [name, fresh[name]]));
  // stdin, never a file or an argument: the values appear nowhere but in Cloudflare.
  wrangler(["secret", "bulk", "-c", PROD_CONFIG], { input: JSON.stringify(secrets) });
  for (const name of missing) log(`secret ${name}: set`);
  if (secrets.ADMIN_TOKEN) {
    process.stderr.write(`\n  ADMIN_TOKEN=${secrets.ADMIN_TOKEN}\n  Store it in your password manager now: Cloudflare never shows a secret again.\n\n`);
  }
  return missing;
}

function parseOptions() {
  try {
    return parseArgs({
      allowNegative: true,
      options: {
        "public-url": { type: "string" },
        shards: { type: "string" },
        name: { type: "string" },
        "custom-domain": { type: "boolean" },
        location: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (err) {
    return fail(`${err.message}\n\n${USAGE}`);
  }
}

async function main() {
  const values = parseOptions();
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const settings = existsSync(SETTINGS) ? JSON.parse(readFileSync(SETTINGS, "utf8")) : {};
  const publicUrl = values["public-url"] ?? settings.publicUrl;
  if (!publicUrl) fail(`--public-url is required the first time\n\n${USAGE}`);
  const url = URL.parse(publicUrl);
  if (!url) fail(`--public-url ${publicUrl} is not a URL`);
  const toml = readFileSync(`${ROOT}wrangler.toml`, "utf8");
  const name = values.name ?? settings.name;
  const workerName = name ?? /^name = "([^"]+)"$/m.exec(toml)?.[1] ?? "edge-scim";
  const listedShards = Array.isArray(settings.shards) ? settings.shards : [];
  const shardCount = values.shards === undefined ? listedShards.length : Number(values.shards);
  if (!Number.isInteger(shardCount) || shardCount < 0 || shardCount > 99) fail("--shards must be a whole number from 0 to 99");
  if (shardCount < listedShards.length) fail(`production.json lists ${listedShards.length} further shards; removing one is not a setup step (docs/operations.md)`);
  const placeholder = /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(settings.databaseId ?? "");

  const databases = listDatabases();
  const databaseId = ensureDatabase(workerName, placeholder ? undefined : settings.databaseId, values.location, databases);
  const shards = [];
  for (let i = 1; i <= shardCount; i++) {
    const listed = listedShards.find((s) => s.binding === `DB_${i}`);
    const databaseName = listed?.databaseName ?? `${workerName}-shard-${i}`;
    shards.push({ binding: `DB_${i}`, databaseName, databaseId: ensureDatabase(databaseName, listed?.databaseId, values.location, databases) });
  }
  const queues = Object.fromEntries(queueNamesOf(toml).map((queue) => [queue, ensureQueue(queue)]));

  // A re-run keeps the earlier choice; the first run makes the host a Custom Domain unless told not to.
  const keepChoice = values["custom-domain"] === undefined && settings.publicUrl !== undefined;
  const wantsDomain = keepChoice ? Boolean(settings.customDomain) : values["custom-domain"] !== false && !url.hostname.endsWith(".workers.dev");
  const customDomain = wantsDomain ? url.hostname : undefined;
  const next = { ...settings, databaseId, publicUrl: url.origin, customDomain, ...(name ? { name } : {}), shards, queues };
  if (!customDomain) delete next.customDomain;
  if (shards.length === 0) delete next.shards;
  const checked = readSettings(JSON.stringify(next)); // the config check deploy runs: refuses before anything is written
  writeFileSync(SETTINGS, `${JSON.stringify(next, null, 2)}\n`);
  writeFileSync(`${ROOT}${PROD_CONFIG}`, render(toml, checked));
  log(`wrote production.json and ${PROD_CONFIG} (${1 + shards.length} shard${shards.length ? "s" : ""}, ${Object.keys(queues).length} queues)`);
  await ensureSecrets();
  log(`next: npm run db:migrate:remote && npm run deploy, then npm run smoke -- --url ${url.origin}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
