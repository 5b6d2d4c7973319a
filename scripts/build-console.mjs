#!/usr/bin/env node
// Builds the admin console (console/src/*.ts, console/static/*) into dist/console, the Workers
// Static Assets directory of wrangler.toml: /admin, /admin/console.js, /admin/console.css, _headers.
// Run by `npm run dev` (scripts/dev.mjs), wrangler's [build] (dev and deploy) and the vitest config.
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const CONSOLE_OUT = join(ROOT, "dist/console");

/** Static file → path under the assets directory (its URL path, "admin.html" serving /admin). */
const STATIC = [
  ["admin.html", "admin.html"],
  ["console.css", "admin/console.css"],
  ["_headers", "_headers"],
];

export async function buildConsole(outdir = CONSOLE_OUT) {
  mkdirSync(join(outdir, "admin"), { recursive: true });
  for (const [from, to] of STATIC) copyFileSync(join(ROOT, "console/static", from), join(outdir, to));
  await build({
    entryPoints: [join(ROOT, "console/src/main.ts")],
    outfile: join(outdir, "admin/console.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: "linked",
    logLevel: "warning",
  });
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildConsole();
  process.stdout.write(`[console] built ${CONSOLE_OUT}\n`);
}
