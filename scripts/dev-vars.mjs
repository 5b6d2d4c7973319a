// .dev.vars for `npm run dev`: created once with random local secrets; later starts reuse it and
// only append keys that are missing (so hand edits survive). Never holds production secrets.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { newSigningJwk } from "./gen-signing-key.mjs";

const HEADER = "# Local secrets for `npm run dev` (made by scripts/dev.mjs; git-ignored). Never commit.\n";

// Only SIGNING_KEY is single-quoted: dotenv keeps it verbatim, which its JSON needs. The others
// are plain (base64 characters), so the ADMIN_TOKEN people copy from the file has no quotes.
const QUOTED = new Set(["SIGNING_KEY"]);
const GENERATORS = {
  ADMIN_TOKEN: async () => `dev-admin-${randomBytes(24).toString("base64url")}`,
  SIGNING_KEY: async () => JSON.stringify(await newSigningJwk("EdDSA", `dev-${Date.now().toString(36)}`)),
  HUB_KEY_ENCRYPTION_KEY: async () => randomBytes(32).toString("base64"),
};

/** Parse the KEY=value lines of a dotenv file (quotes stripped; enough for what we write). */
export function parseDevVars(text) {
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const raw = m[2];
    const quoted = /^(['"])(.*)\1$/.exec(raw);
    vars[m[1]] = quoted ? quoted[2] : raw;
  }
  return vars;
}

/** Make sure `path` holds every dev secret; returns the values and the names it generated. */
export async function ensureDevVars(path) {
  const exists = existsSync(path);
  const current = exists ? parseDevVars(readFileSync(path, "utf8")) : {};
  const added = [];
  let text = exists ? "" : HEADER;
  for (const [name, generate] of Object.entries(GENERATORS)) {
    if (current[name]) continue;
    const value = await generate();
    current[name] = value;
    text += QUOTED.has(name) ? `${name}='${value}'\n` : `${name}=${value}\n`;
    added.push(name);
  }
  if (!exists) writeFileSync(path, text, { mode: 0o600 });
  else if (added.length) appendFileSync(path, `${readFileSync(path, "utf8").endsWith("\n") ? "" : "\n"}${text}`);
  return { vars: current, added, created: !exists };
}
