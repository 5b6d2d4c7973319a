#!/usr/bin/env node
// `npm run db:migrate:local` / `db:migrate:remote`: apply the migrations to every shard (every
// DB / DB_<n> D1 binding) of the config, one after the other; all shards run the same migrations.
// Local: the dev config (wrangler.dev.toml, two shards). Remote: wrangler.production.toml.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { writeDevConfig } from "./dev-config.mjs";
import { shardBindingsOf } from "./prod-config.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));

/** Migrate every shard of `config` (`--local` or `--remote`); exits on the first failure. */
export function migrateShards(config, where, env = process.env) {
  const shards = shardBindingsOf(readFileSync(`${ROOT}${config}`, "utf8"));
  for (const shard of shards) {
    process.stderr.write(`[migrate] ${shard} (${where.slice(2)}, ${config})\n`);
    const res = spawnSync(process.execPath, [WRANGLER, "d1", "migrations", "apply", shard, where, "-c", config], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
      env,
    });
    if (res.status !== 0) {
      process.stderr.write(`[migrate] ${shard} failed (exit ${res.status ?? res.signal}); the shards before it are migrated\n`);
      process.exit(res.status ?? 1);
    }
  }
  return shards;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const where = process.argv.includes("--remote") ? "--remote" : "--local";
  const config = where === "--remote" ? "wrangler.production.toml" : writeDevConfig();
  migrateShards(config, where);
}
