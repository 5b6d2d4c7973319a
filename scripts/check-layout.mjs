#!/usr/bin/env node
// The layout's import rules (docs/architecture.md "Folders and the import rule"), checked on every
// `npm test`: a feature folder uses another feature only through that feature's port.ts, and the
// shared layers (platform/, http/) never reach into a feature's insides.
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const FEATURES = ["access", "audit", "scim", "sync", "tenancy"];
/** The protocol's vocabulary that every layer speaks: part of the scim port. */
const SCIM_VOCABULARY = new Set(["src/scim/errors.ts", "src/scim/urns.ts"]);
/** Composition roots wire the features together and may import any module. */
const ROOTS = [/^src\/index\.ts$/, /^src\/http\/app\.ts$/, /^src\/jobs\//];

function* walk(dir) {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.tsx?$/.test(entry.name)) yield path;
  }
}

const files = [...walk("src")];
const known = new Set(files);
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

/** The area of a file: a feature name, "platform", "http", or "root" (src/*.ts). */
export function areaOf(path) {
  const [, first, ...rest] = path.split("/");
  return rest.length === 0 ? "root" : first;
}

function resolveImport(from, spec) {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base].find((p) => known.has(p));
}

/** Why `from` may not import `to`, or undefined when the rule allows it. */
export function violation(from, to) {
  if (ROOTS.some((r) => r.test(from))) return undefined;
  const a = areaOf(from);
  const b = areaOf(to);
  if (a === b) return undefined;
  const isPort = FEATURES.includes(b) && (to === `src/${b}/port.ts` || SCIM_VOCABULARY.has(to));
  if (a === "platform") {
    if (b === "root" && to === "src/config.ts") return undefined;
    if (SCIM_VOCABULARY.has(to)) return undefined;
    return "platform/ imports only platform/, config.ts and the SCIM error vocabulary";
  }
  if (b === "platform" || b === "root") return undefined;
  if (b === "http") {
    return FEATURES.includes(a) ? undefined : `${a} may not import http/`;
  }
  if (isPort) return undefined;
  return `${a === "root" ? from : `${a}/`} reaches into ${b}/ (use src/${b}/port.ts)`;
}

const problems = [];
for (const file of files) {
  const text = readFileSync(join(ROOT, file), "utf8");
  for (const m of text.matchAll(IMPORT)) {
    const target = resolveImport(file, m[1]);
    if (!target) continue;
    const why = violation(file, target);
    if (why) problems.push(`${file}: imports ${target}: ${why}`);
  }
}
const unknownAreas = [...new Set(files.map(areaOf))].filter((a) => ![...FEATURES, "platform", "http", "root", "jobs"].includes(a));
for (const a of unknownAreas) problems.push(`src/${a}/: a folder the import rule does not know (add it to scripts/check-layout.mjs and docs/architecture.md)`);

if (problems.length) {
  console.error(`layout check: ${problems.length} import(s) break the rule (docs/architecture.md):\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`layout check: ${files.length} files under src/, every import follows the rule`);
