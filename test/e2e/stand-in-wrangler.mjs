// A stand-in for the `wrangler` CLI's remote commands (no network, no Cloudflare account): put
// on PATH by installStandInWrangler, it keeps an "account" (D1 databases with their applied
// migrations, queues, Workers with secrets and deployments) in a JSON file, records every call,
// and answers as wrangler 4 does — the same output formats, error texts and exit codes — for the
// commands of a first deploy: setup:production's, `d1 migrations apply --remote`, `deploy`,
// `d1 time-travel info`. Like Cloudflare, `deploy` refuses a config naming a queue or database
// the account does not have.
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);

/** Writes `dir/wrangler` and an account file; returns helpers to read and seed what it holds. */
export function installStandInWrangler(dir, account = {}) {
  const state = join(dir, "wrangler-account.json");
  writeFileSync(state, JSON.stringify({ loggedIn: true, databases: [], queues: [], workers: {}, calls: [], ...account }));
  writeFileSync(join(dir, "wrangler"), `#!/bin/sh\nSTAND_IN_WRANGLER_STATE='${state}' exec '${process.execPath}' '${SELF}' "$@"\n`);
  chmodSync(join(dir, "wrangler"), 0o755);
  return { read: () => JSON.parse(readFileSync(state, "utf8")) };
}

let nextId = 1;
const uuid = () => `${crypto.randomUUID().slice(0, 24)}${String(nextId++).padStart(12, "0")}`;

/** wrangler's error block: "✘ [ERROR] message", exit 1. */
function error(message) {
  process.stderr.write(`\n✘ [ERROR] ${message}\n\n`);
  return 1;
}

function apiError(path, message, code) {
  return error(`A request to the Cloudflare API (${path}) failed.\n\n  ${message} [code: ${code}]`);
}

/** The Worker name of `-c file` (or ./wrangler.toml): its first top-level `name = "…"`. */
function workerName(args) {
  const i = args.findIndex((a) => a === "-c" || a === "--config");
  const file = i >= 0 ? args[i + 1] : "wrangler.toml";
  if (!existsSync(file)) return undefined;
  return /^name = "([^"]+)"$/m.exec(readFileSync(file, "utf8"))?.[1];
}

/** The -c file's D1 databases ({binding, database_name, database_id}) and every queue it names. */
function configOf(args) {
  const i = args.findIndex((a) => a === "-c" || a === "--config");
  const text = readFileSync(i >= 0 ? args[i + 1] : "wrangler.toml", "utf8");
  const databases = text.split(/^\[\[d1_databases\]\]$/m).slice(1).map((block) => ({
    binding: /^binding = "([^"]+)"$/m.exec(block)?.[1],
    database_name: /^database_name = "([^"]+)"$/m.exec(block)?.[1],
    database_id: /^database_id = "([^"]+)"$/m.exec(block)?.[1],
    migrations_dir: /^migrations_dir = "([^"]+)"$/m.exec(block)?.[1] ?? "migrations",
  }));
  const queues = [...new Set([...text.matchAll(/^(?:queue|dead_letter_queue) = "([^"]+)"$/gm)].map((m) => m[1]))];
  const routes = [...text.matchAll(/pattern = "([^"]+)"/g)].map((m) => m[1]);
  return { databases, queues, routes };
}

/** The account's database a binding or name of the config points at (by its database_id). */
function databaseFor(account, args, nameOrBinding) {
  const entry = configOf(args).databases.find((d) => d.binding === nameOrBinding || d.database_name === nameOrBinding);
  const db = entry && account.databases.find((d) => d.uuid === entry.database_id);
  return { entry, db };
}

async function readStdin() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

async function run(account, args) {
  const positional = args.filter((a, i) => !a.startsWith("-") && !["-c", "--config", "--location", "--timestamp"].includes(args[i - 1]));
  const command = positional[0] === "deploy" ? "deploy" : positional.slice(0, 2).join(" ");
  if (!account.loggedIn) {
    return error("In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN environment variable for wrangler to work.");
  }
  switch (command) {
    case "d1 list": {
      const rows = account.databases.map((db) => ({ uuid: db.uuid, name: db.name, created_at: "2026-12-06T04:00:00.000Z", version: "production", num_tables: 0, file_size: 12288 }));
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    case "d1 create": {
      const name = positional[2];
      if (account.databases.some((db) => db.name === name)) {
        return apiError("/accounts/0123/d1/database", "A database with that name already exists", 7502);
      }
      const db = { uuid: uuid(), name };
      account.databases.push(db);
      process.stdout.write(
        `✅ Successfully created DB '${name}' in region WEUR\nCreated your new D1 database.\n\n` +
          `To access your new D1 Database in your Worker, add the following snippet to your configuration file:\n` +
          `[[d1_databases]]\nbinding = "${name.replaceAll("-", "_")}"\ndatabase_name = "${name}"\ndatabase_id = "${db.uuid}"\n`,
      );
      return 0;
    }
    case "queues info": {
      const queue = account.queues.find((q) => q.name === positional[2]);
      if (!queue) return error(`Queue "${positional[2]}" does not exist. To create it, run: wrangler queues create ${positional[2]}`);
      process.stdout.write(
        `Queue Name: ${queue.name}\nQueue ID: ${queue.id}\nCreated On: 2026-12-06T04:00:00.000Z\nLast Modified: 2026-12-06T04:00:00.000Z\nNumber of Producers: 0\nNumber of Consumers: 0\n`,
      );
      return 0;
    }
    case "queues create": {
      const name = positional[2];
      if (account.queues.some((q) => q.name === name)) {
        return apiError("/accounts/0123/queues", "Queue name already taken", 11009);
      }
      account.queues.push({ name, id: crypto.randomUUID().replaceAll("-", "") });
      process.stdout.write(`🌀 Creating queue '${name}'\n✅ Created queue '${name}'\n\nConfigure your Worker to send messages to this queue:\n`);
      return 0;
    }
    case "secret list": {
      const name = workerName(args);
      const worker = account.workers[name];
      if (!worker) {
        return error(
          `Worker "${name}" not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.\nOtherwise, check that the Worker name is correct and you're logged into the right account.`,
        );
      }
      process.stdout.write(`${JSON.stringify(Object.keys(worker.secrets).map((n) => ({ name: n, type: "secret_text" })), null, "  ")}\n`);
      return 0;
    }
    case "secret bulk": {
      const name = workerName(args);
      const body = JSON.parse(await readStdin());
      if (!account.workers[name]) {
        // Non-interactive: wrangler creates a draft Worker to hold the secrets.
        process.stdout.write(`🌀 Creating new Worker "${name}"...\n`);
        account.workers[name] = { secrets: {} };
      }
      process.stdout.write(`🌀 Creating the secrets for the Worker "${name}" \n`);
      for (const [key, value] of Object.entries(body)) {
        account.workers[name].secrets[key] = value;
        process.stdout.write(`✨ Successfully created secret for key: ${key}\n`);
      }
      process.stdout.write(`\nFinished processing secrets file:\n✨ ${Object.keys(body).length} secrets successfully uploaded\n`);
      return 0;
    }
    case "d1 migrations": {
      // d1 migrations apply <binding> --remote -c <config>
      if (positional[2] !== "apply" || !args.includes("--remote")) break;
      const { entry, db } = databaseFor(account, args, positional[3]);
      if (!db) return error(`Couldn't find a D1 DB with the name or binding '${positional[3]}' in your ${args.includes("-c") ? args[args.indexOf("-c") + 1] : "wrangler.toml"} file.`);
      db.applied ??= [];
      const pending = readdirSync(entry.migrations_dir).filter((f) => f.endsWith(".sql")).sort().filter((f) => !db.applied.includes(f));
      if (pending.length === 0) {
        process.stdout.write("✅ No migrations to apply!\n");
        return 0;
      }
      process.stdout.write(`Migrations to be applied:\n${pending.map((f) => `│ ${f} │`).join("\n")}\n`);
      for (const f of pending) {
        db.applied.push(f);
        process.stdout.write(`│ ${f} │ ✅ │\n`);
      }
      return 0;
    }
    case "d1 time-travel": {
      const { db } = databaseFor(account, args, positional[3]);
      if (!db || !["info", "restore"].includes(positional[2])) break;
      const bookmark = `00000085-0000024c-00004c6d-${db.uuid.slice(0, 8)}`;
      if (positional[2] === "info") {
        process.stdout.write(`🚧 Time Traveling...\n⚠️ Timestamp '${new Date().toISOString()}' corresponds with bookmark '${bookmark}'\n`);
      } else {
        db.restores = (db.restores ?? 0) + 1;
        process.stdout.write(`🚧 Restoring database ${db.name} from bookmark ${bookmark}\n⚡️ Database restored, previous bookmark '${bookmark}'\n`);
      }
      return 0;
    }
    case "deploy": {
      const name = workerName(args);
      const config = configOf(args);
      for (const queue of config.queues) {
        if (!account.queues.some((q) => q.name === queue)) return error(`Queue "${queue}" does not exist. To create it, run: wrangler queues create ${queue}`);
      }
      for (const d of config.databases) {
        if (!account.databases.some((db) => db.uuid === d.database_id)) {
          return apiError(`/accounts/0123/workers/scripts/${name}/versions`, `binding ${d.binding} of type d1 must have a valid \`id\` specified`, 10021);
        }
      }
      account.workers[name] ??= { secrets: {} };
      account.workers[name].deployed = { routes: config.routes, at: new Date().toISOString() };
      process.stdout.write(`Uploaded ${name}\nDeployed ${name} triggers\n${config.routes.map((r) => `  ${r} (custom domain)`).join("\n")}\n  schedule: */5 * * * *\n`);
      return 0;
    }
    default:
      break;
  }
  return error(`the stand-in wrangler does not know \`wrangler ${args.join(" ")}\``);
}

if (process.argv[1] === SELF) {
  const path = process.env.STAND_IN_WRANGLER_STATE;
  const account = JSON.parse(readFileSync(path, "utf8"));
  const args = process.argv.slice(2);
  account.calls.push(args);
  const code = await run(account, args);
  writeFileSync(path, JSON.stringify(account));
  process.exit(code);
}
