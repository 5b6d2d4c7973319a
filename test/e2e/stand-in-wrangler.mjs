// A stand-in for the `wrangler` CLI's remote commands (no network, no Cloudflare account): put
// on PATH by installStandInWrangler, it keeps an "account" (D1 databases, queues, Worker secrets)
// in a JSON file, records every call, and answers as wrangler 4 does — the same output formats,
// the same error texts and exit codes — for the commands `npm run setup:production` uses.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
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

async function readStdin() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

async function run(account, args) {
  const positional = args.filter((a, i) => !a.startsWith("-") && !["-c", "--config", "--location"].includes(args[i - 1]));
  const command = positional.slice(0, 2).join(" ");
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
    default:
      return error(`the stand-in wrangler does not know \`wrangler ${args.join(" ")}\``);
  }
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
