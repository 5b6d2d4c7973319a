#!/usr/bin/env node
// edge-scim: the whole admin API from a terminal. Works against `npm run dev` (reads ADMIN_TOKEN
// from .dev.vars for a localhost URL only) or a deployed URL. Commands live in scripts/cli/.
import { parseArgs } from "node:util";
import { auditCommands } from "./cli/commands-audit.mjs";
import { exportCommands } from "./cli/commands-export.mjs";
import { extensionCommands } from "./cli/commands-extensions.mjs";
import { keyCommands } from "./cli/commands-keys.mjs";
import { opsCommands } from "./cli/commands-ops.mjs";
import { portalCommands } from "./cli/commands-portal.mjs";
import { syncCommands } from "./cli/commands-sync.mjs";
import { tenantCommands } from "./cli/commands-tenants.mjs";
import { HELP } from "./cli/help.mjs";
import { connection, EXIT, fail } from "./cli/http.mjs";

const COMMANDS = {
  ...tenantCommands, ...exportCommands, ...opsCommands, ...syncCommands, ...extensionCommands, ...auditCommands, ...keyCommands,
  ...portalCommands,
};

const OPTIONS = {
  url: { type: "string" },
  "admin-token": { type: "string" },
  json: { type: "boolean", default: false },
  "expires-in": { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  count: { type: "string" },
  follow: { type: "boolean", default: false },
  interval: { type: "string" },
  out: { type: "string" },
  cursor: { type: "string" },
  limit: { type: "string" },
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  "timeout-ms": { type: "string" },
  "log-retention-days": { type: "string" },
  audience: { type: "string" },
  "app-id": { type: "string" },
  "assertion-audience": { type: "string" },
  shard: { type: "string" },
  alg: { type: "string" },
  drop: { type: "string", multiple: true },
  "hub-conflict": { type: "string" },
  "delete-percent": { type: "string" },
  "delete-minimum": { type: "string" },
  hours: { type: "string" },
  "expires-in-minutes": { type: "string" },
  all: { type: "boolean", default: false },
  start: { type: "boolean", default: false },
  language: { type: "string" },
  "enforce-naming-rules": { type: "string" },
  "sync-on-change": { type: "string" },
  "field-map": { type: "string" },
  "deleted-user-grace-days": { type: "string" },
  file: { type: "string" },
  days: { type: "string" },
  note: { type: "string" },
  "within-days": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
};

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: OPTIONS });
} catch (err) {
  fail(EXIT.usage, `${err.message}\n\n${HELP}`);
}
const { values, positionals } = parsed;
if (values.help || positionals.length === 0) {
  console.log(HELP);
  process.exit(values.help ? EXIT.ok : EXIT.usage);
}

// Two-word commands ("tenants list") first, then one-word ones ("compat", "health").
const twoWords = `${positionals[0]} ${positionals[1] ?? ""}`;
const key = COMMANDS[twoWords] ? twoWords : positionals[0];
const command = COMMANDS[key];
if (!command) fail(EXIT.usage, `unknown command "${positionals.join(" ")}"\n\n${HELP}`);
const args = positionals.slice(key.split(" ").length);

await command({
  values,
  args,
  conn: connection(values),
  need: (n, usage) => {
    if (args.length < n) fail(EXIT.usage, `usage: edge-scim ${usage}`);
    return args.slice(0, n);
  },
  out: (data, human) => (values.json ? console.log(JSON.stringify(data, null, 2)) : human(data)),
});
