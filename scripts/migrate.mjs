#!/usr/bin/env node
// `npm run db:migrate:local` / `db:migrate:remote`: apply the migrations to every shard (every
// DB / DB_<n> D1 binding) of the config; all shards run the same migrations, one shard after the
// other, so a failure names exactly which shards are done. Local shards are separate SQLite files,
// but not independent: two wrangler processes opening the same local state at once make workerd
// fail about one run in six with SQLITE_BUSY, so they are never migrated side by side.
// Local: the dev config (wrangler.dev.toml, two shards). Remote: wrangler.production.toml.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { delimiter } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { writeDevConfig } from "./dev-config.mjs";
import { shardBindingsOf } from "./prod-config.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));

/** One shard's `wrangler d1 migrations apply`, its output prefixed; resolves to the exit code. */
function applyTo(shard, config, where, env, extraArgs) {
  process.stderr.write(`[migrate] ${shard} (${where.slice(2)}, ${config})\n`);
  const args = ["d1", "migrations", "apply", shard, where, "-c", config, ...extraArgs];
  // Remote: the `wrangler` of node_modules/.bin, as `npm run deploy` runs it (so the operator
  // journey test's stand-in wrangler answers for both). Local: the package's own entry point.
  const [command, argv, childEnv] =
    where === "--remote"
      ? ["wrangler", args, { ...env, PATH: `${ROOT}node_modules/.bin${delimiter}${env.PATH ?? ""}` }]
      : [process.execPath, [WRANGLER, ...args], env];
  const child = spawn(command, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: childEnv });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => process.stderr.write(`[migrate ${shard}] ${line}\n`));
  }
  return new Promise((resolve) => {
    child.once("error", (err) => {
      process.stderr.write(`[migrate ${shard}] cannot run ${command}: ${err.message}\n`);
      resolve(1);
    });
    child.once("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function failed(shard, code) {
  process.stderr.write(`[migrate] ${shard} failed (exit ${code}); run the command again once fixed (applied migrations are skipped)\n`);
  process.exit(code || 1);
}

/** Migrate every shard of `config` (`--local` or `--remote`; `extraArgs` e.g. `--persist-to`); exits on a failure. */
export async function migrateShards(config, where, env = process.env, extraArgs = []) {
  const shards = shardBindingsOf(readFileSync(`${ROOT}${config}`, "utf8"));
  for (const shard of shards) {
    const code = await applyTo(shard, config, where, env, extraArgs);
    if (code !== 0) failed(shard, code);
  }
  return shards;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const where = process.argv.includes("--remote") ? "--remote" : "--local";
  const config = where === "--remote" ? "wrangler.production.toml" : writeDevConfig();
  await migrateShards(config, where);
}
