#!/usr/bin/env node
// Builds the admin console (console/src, console/static) and the self-service portal (portal/src,
// portal/static) into dist/console, the Workers Static Assets directory of wrangler.toml:
// /admin, /admin/console.{js,css}; /portal/, /portal/app/portal.{js,css} (+ the console's sheet); _headers.
// Run by `npm run dev` (scripts/dev.mjs), wrangler's [build] (dev and deploy) and the vitest config.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const CONSOLE_OUT = join(ROOT, "dist/console");

/** Source file → path under the assets directory (its URL path; "admin.html" serves /admin). */
const STATIC = [
  ["console/static/admin.html", "admin.html"],
  ["console/static/console.css", "admin/console.css"],
  ["console/static/_headers", "_headers"],
  ["portal/static/index.html", "portal/index.html"],
  // The portal draws the console's cards, so it uses the console's sheet and adds its own.
  ["console/static/console.css", "portal/app/console.css"],
  ["portal/static/portal.css", "portal/app/portal.css"],
];

/** Entry module → bundle under the assets directory. */
const BUNDLES = [
  ["console/src/main.ts", "admin/console.js"],
  ["portal/src/main.ts", "portal/app/portal.js"],
];

export async function buildConsole(outdir = CONSOLE_OUT) {
  for (const [from, to] of STATIC) {
    mkdirSync(dirname(join(outdir, to)), { recursive: true });
    copyFileSync(join(ROOT, from), join(outdir, to));
  }
  await build({
    entryPoints: BUNDLES.map(([from, to]) => ({ in: join(ROOT, from), out: to.replace(/\.js$/, "") })),
    outdir,
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
