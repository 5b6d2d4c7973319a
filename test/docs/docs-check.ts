// The checks behind test/docs/docs.test.ts, as pure functions over file texts: links and anchors,
// CLI commands, routes, configuration names. Each returns the problems it found, one line each,
// naming the file, so a failing run says exactly what to fix.

/** A markdown file's prose: fenced code blocks blanked (their lines kept, so line numbers hold). */
export function withoutCodeBlocks(markdown: string): string {
  let inFence = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return "";
      }
      return inFence ? "" : line;
    })
    .join("\n");
}

/** GitHub's heading anchor (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") // [text](url) → text
    .replace(/[`*]/g, "")
    .replace(/<[^>]+>/g, "")
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

/** Every anchor a markdown file offers: its headings' slugs (duplicates numbered) and <a id/name>. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = withoutCodeBlocks(markdown);
  for (const [, heading] of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(heading!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of prose.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id!);
  return anchors;
}

/** Inline markdown links and images: [text](target), minus inline code. */
export function linksOf(markdown: string): string[] {
  const prose = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** posix join of a directory and a relative path, resolving "." and "..". */
export function resolvePath(fromDir: string, rel: string): string {
  const parts = fromDir.split("/").filter(Boolean);
  for (const part of rel.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/**
 * Every relative link of every document resolves: the file exists (`exists`), and an anchor
 * (#…) names a heading of the target markdown file (`docs`: path → text).
 */
export function brokenLinks(docs: Record<string, string>, exists: (path: string) => boolean): string[] {
  const problems: string[] = [];
  const anchors = new Map(Object.entries(docs).map(([path, text]) => [path, anchorsOf(text)]));
  for (const [path, text] of Object.entries(docs)) {
    const dir = path.slice(0, path.lastIndexOf("/"));
    for (const link of linksOf(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:, …
      const [file, anchor] = link.split("#", 2) as [string, string | undefined];
      const target = file === "" ? path : resolvePath(dir, decodeURI(file));
      if (!exists(target) && !exists(target.replace(/\/$/, ""))) {
        problems.push(`${path}: link to ${link}: no file ${target}`);
        continue;
      }
      if (anchor !== undefined && target.endsWith(".md")) {
        const offered = anchors.get(target);
        if (offered && !offered.has(anchor)) problems.push(`${path}: link to ${link}: ${target} has no heading #${anchor}`);
      }
    }
  }
  return problems;
}

/** The CLI commands its help lists ("tenants list", "shards", "hub show", "hub remove", …). */
export function cliCommandsOf(help: string): Set<string> {
  const commands = new Set<string>();
  for (const [, words] of help.matchAll(/^ {2}([a-z][a-z-]*(?: [a-z|-]+)?)(?= |$)/gm)) {
    const [first, second] = words!.split(" ") as [string, string | undefined];
    if (second === undefined || second.startsWith("-")) commands.add(first);
    else for (const alt of second.split("|")) commands.add(`${first} ${alt}`);
  }
  return commands;
}

/** The long options the CLI parses (scripts/cli.mjs OPTIONS: `name: { type: … }`). */
export function cliOptionsOf(cliSource: string): Set<string> {
  return new Set([...cliSource.matchAll(/^\s+"?([a-z][a-z-]*)"?: \{ type: "(?:string|boolean)"/gm)].map((m) => `--${m[1]}`));
}

/** Every `npx edge-scim …` in the docs is a command the CLI has, with options it parses. */
export function unknownCliCommands(docs: Record<string, string>, commands: Set<string>, options: Set<string>): string[] {
  const problems: string[] = [];
  for (const [path, text] of Object.entries(docs)) {
    for (const [call] of text.matchAll(/npx edge-scim(?:[ \t]+(?:\\\n\s*)?[^\s`|;&)\\]+)*/g)) {
      const words = call.replace(/\\\n\s*/g, " ").split(/\s+/).slice(2);
      if (words.length === 0) continue; // the CLI's name, not a call
      const positional = words.filter((w) => !w.startsWith("-"));
      const two = positional.slice(0, 2).join(" ");
      const known = commands.has(two) || commands.has(positional[0] ?? "") || words[0] === "--help" || words[0] === "-h";
      if (!known) problems.push(`${path}: \`${call.trim()}\`: no such command in \`npx edge-scim --help\``);
      for (const flag of words.filter((w) => w.startsWith("--"))) {
        const name = flag.split("=")[0]!;
        if (!options.has(name)) problems.push(`${path}: \`${call.trim()}\`: the CLI has no option ${name}`);
      }
    }
  }
  return problems;
}

/** The docs say `npx edge-scim`, never `node scripts/cli.mjs` (one way to call the CLI). */
export function otherCliSpellings(docs: Record<string, string>): string[] {
  return Object.entries(docs)
    .filter(([, text]) => /node scripts\/cli\.mjs/.test(text))
    .map(([path]) => `${path}: says \`node scripts/cli.mjs\`; write \`npx edge-scim\``);
}

/** "METHOD /admin/v1/…" and "/portal/v1/…" paths as the router spells them (":param"). */
const routeKey = (path: string) =>
  path
    .replace(/\{[^}]+\}|:[A-Za-z]+|<[^>]+>/g, ":p")
    .replace(/\/+$/, "")
    .replace(/\?.*$/, "");

/**
 * Every admin or portal route the docs name exists in the router (`routes`: "METHOD /path"
 * with Hono's ":param"). A path with a method must exist with that method; a path alone, with any.
 */
export function unknownRoutes(docs: Record<string, string>, routes: string[]): string[] {
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const [method, path] = route.split(" ") as [string, string];
    const key = routeKey(path);
    byPath.set(key, (byPath.get(key) ?? new Set()).add(method));
  }
  const problems: string[] = [];
  for (const [path, text] of Object.entries(docs)) {
    const pattern = /(?:\b(GET|POST|PUT|PATCH|DELETE)\s+)?(\/(?:admin|portal)\/v1(?:\/[A-Za-z0-9_{}:.<>-]+)*)/g;
    for (const m of text.matchAll(pattern)) {
      const [, method, routePath] = m as unknown as [string, string | undefined, string];
      const after = text[m.index! + m[0].length];
      if (after === "…" || after === "*" || routePath.endsWith(".")) continue; // a prefix, not a route
      const key = routeKey(routePath);
      if (key === "/admin/v1" || key === "/portal/v1") continue;
      const methods = byPath.get(key);
      if (!methods) problems.push(`${path}: ${method ? `${method} ` : ""}${routePath}: no such route in src/http`);
      else if (method && !methods.has(method)) problems.push(`${path}: ${method} ${routePath}: the route has only ${[...methods].join(", ")}`);
    }
  }
  return [...new Set(problems)];
}

/** The names of the Bindings interface of src/config.ts (DB_${number} as DB_n). */
export function bindingsOf(configSource: string): Set<string> {
  const body = /export interface Bindings \{([\s\S]*?)\n\}/.exec(configSource)?.[1] ?? "";
  const names = [...body.matchAll(/^\s+([A-Z][A-Z0-9_]*)\??:/gm)].map((m) => m[1]!);
  if (/\[shard: `DB_\$\{number\}`\]/.test(body)) names.push("DB_n");
  return new Set(names);
}

/** Bindings and vars wrangler.toml declares: binding = "X", ratelimits name = "X", [vars] keys. */
export function wranglerNamesOf(toml: string): Set<string> {
  const names = [...toml.matchAll(/^(?:binding|name) = "([A-Z][A-Z0-9_]*)"$/gm)].map((m) => m[1]!);
  const vars = /^\[vars\]$([\s\S]*?)(?=^\[)/m.exec(toml)?.[1] ?? "";
  names.push(...[...vars.matchAll(/^([A-Z][A-Z0-9_]*) = /gm)].map((m) => m[1]!));
  return new Set(names);
}

/** Environment variables the scripts read (process.env.X). */
export function scriptEnvOf(sources: string[]): Set<string> {
  return new Set(sources.flatMap((s) => [...s.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!)));
}

/** production.json keys prod-config.mjs reads (`s.key`, `shard.key`). */
export function productionKeysOf(prodConfigSource: string): Set<string> {
  const body = /export function readSettings[\s\S]*?\n\}\n/.exec(prodConfigSource)?.[0] ?? "";
  return new Set([...body.matchAll(/\bs\.([a-zA-Z]+)/g)].map((m) => m[1]!));
}

/**
 * docs/configuration.md names exactly the service's configuration: every UPPER_CASE name in
 * backticks is a binding (src/config.ts), a wrangler.toml binding or var, an env var the scripts
 * read, or one of `external` (wrangler's own); and each of those (except `external`) is named.
 * Every production.json key is named too.
 */
export function configurationProblems(
  doc: string,
  known: { bindings: Set<string>; wrangler: Set<string>; scriptEnv: Set<string>; productionKeys: Set<string>; external: Set<string> },
): string[] {
  // `DB_1` … `DB_n` in the text stand for the Bindings' DB_${number}.
  const named = new Set([...doc.matchAll(/`([A-Z][A-Z0-9_]*[A-Za-z0-9])`/g)].map((m) => m[1]!.replace(/^DB_(\d+|n)$/, "DB_n")));
  const ours = new Set([...known.bindings, ...known.wrangler, ...known.scriptEnv]);
  const problems: string[] = [];
  for (const name of named) {
    if (!ours.has(name) && !known.external.has(name)) problems.push(`docs/configuration.md: \`${name}\` is neither in src/config.ts, wrangler.toml nor read by a script`);
  }
  for (const name of ours) if (!named.has(name)) problems.push(`docs/configuration.md: \`${name}\` is not documented`);
  for (const key of known.productionKeys) {
    if (!doc.includes(`\`${key}\``)) problems.push(`docs/configuration.md: production.json key \`${key}\` is not documented`);
  }
  return problems;
}
