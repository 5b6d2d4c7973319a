#!/usr/bin/env node
// Keeps the Bindings type (src/config.ts) in step with wrangler.toml, on every `npm test`: every
// binding and var wrangler.toml declares is typed in Bindings, and every D1, queue and rate-limit
// binding Bindings types is declared in wrangler.toml. (A binding the code types but wrangler
// never binds is `undefined` at run time; one wrangler binds but the code does not type is dead.)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Binding names wrangler.toml declares, by kind (a line-based reading: the file is ours and flat). */
export function declaredBindings(toml) {
  const out = new Map();
  let table = "";
  for (const raw of toml.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    const header = /^\[{1,2}([^\]]+)\]{1,2}$/.exec(line);
    if (header) {
      table = header[1].trim();
      continue;
    }
    const kv = /^([A-Za-z_][\w]*)\s*=\s*(.+)$/.exec(line);
    if (!kv) continue;
    const [, key, value] = kv;
    const str = /^"([^"]*)"$/.exec(value.trim())?.[1];
    if (table === "vars") out.set(key, "var");
    else if (key === "binding" && str && ["d1_databases", "queues.producers", "assets", "services"].includes(table)) out.set(str, table);
    else if (key === "name" && str && table === "ratelimits") out.set(str, table);
  }
  return out;
}

/** The keys of `interface Bindings` in src/config.ts with their declared types. */
export function typedBindings(source) {
  const body = /export interface Bindings \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? "";
  return new Map([...body.matchAll(/^\s{2}([A-Z][A-Z0-9_]*)\??:\s*([^;]+);/gm)].map((m) => [m[1], m[2].trim()]));
}

/** Bound elsewhere, on purpose: shards DB_1…n come from production.json / the dev config, and the
 * Device Hub service binding exists only in tests and `npm run dev`. */
const BOUND_ELSEWHERE = new Set(["DEVICE_HUB"]);
const MUST_BE_DECLARED = /^(D1Database|RateLimit|SyncQueue|MoveQueue|Queue\b)/;

export function bindingProblems(toml, source) {
  const declared = declaredBindings(toml);
  const typed = typedBindings(source);
  const problems = [];
  for (const [name, kind] of declared) {
    // The assets binding serves files before the Worker runs; the code never reads it.
    if (kind === "assets") continue;
    if (!typed.has(name)) problems.push(`wrangler.toml declares ${name} (${kind}) but Bindings in src/config.ts does not type it`);
  }
  for (const [name, type] of typed) {
    if (BOUND_ELSEWHERE.has(name) || !MUST_BE_DECLARED.test(type)) continue;
    if (!declared.has(name)) problems.push(`Bindings types ${name}: ${type} but wrangler.toml does not declare it`);
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = bindingProblems(readFileSync(`${ROOT}wrangler.toml`, "utf8"), readFileSync(`${ROOT}src/config.ts`, "utf8"));
  if (problems.length) {
    console.error(`bindings check:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log("bindings check: Bindings (src/config.ts) matches wrangler.toml");
}
