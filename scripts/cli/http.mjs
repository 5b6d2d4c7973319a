// The CLI's connection to a deployment: which URL, which admin token (the dev .dev.vars token is
// sent only to a local URL), and the calls themselves with the CLI's exit codes.
import { existsSync, readFileSync } from "node:fs";

export const EXIT = { ok: 0, server: 1, usage: 2, connect: 3 };

export function fail(code, message) {
  process.stderr.write(`edge-scim: ${message}\n`);
  process.exit(code);
}

/** Hosts the dev server runs on: the only ones that may receive the .dev.vars ADMIN_TOKEN. */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLocalUrl(url) {
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

function devVarsToken() {
  if (!existsSync(".dev.vars")) return undefined;
  const line = readFileSync(".dev.vars", "utf8").split("\n").find((l) => l.startsWith("ADMIN_TOKEN="));
  return line?.slice("ADMIN_TOKEN=".length).trim().replace(/^['"]|['"]$/g, "") || undefined;
}

/** The URL and token for this run; the token is resolved only when a command needs one. */
export function connection(values) {
  const raw = values.url ?? process.env.EDGE_SCIM_URL ?? "http://localhost:8787";
  const url = raw.replace(/\/+$/, "");
  if (!/^https?:\/\//.test(url)) fail(EXIT.usage, `--url must start with http:// or https:// (got ${raw})`);
  const token = () => {
    const explicit = values["admin-token"] ?? process.env.EDGE_SCIM_ADMIN_TOKEN;
    if (explicit) return explicit;
    // A dev secret must never leave the machine: .dev.vars only pairs with the local dev server.
    if (!isLocalUrl(url)) {
      fail(EXIT.usage, `no admin token for ${url}: pass --admin-token or set EDGE_SCIM_ADMIN_TOKEN (the .dev.vars token is only sent to localhost)`);
    }
    const dev = devVarsToken();
    if (!dev) fail(EXIT.usage, "no admin token: pass --admin-token, set EDGE_SCIM_ADMIN_TOKEN, or run in the directory of `npm run dev`");
    return dev;
  };
  return { url, token };
}

async function send(conn, method, path, { body, auth = true } = {}) {
  const headers = { ...(auth ? { Authorization: `Bearer ${conn.token()}` } : {}), ...(body ? { "Content-Type": "application/json" } : {}) };
  try {
    return await fetch(`${conn.url}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  } catch (err) {
    fail(EXIT.connect, `cannot reach ${conn.url}: ${err.cause?.code ?? err.message}`);
  }
}

function parseJson(text) {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { raw: text };
  }
}

/** An admin API call (/admin/v1…); a non-2xx answer exits 1 with the server's message. */
export async function api(conn, method, path, body) {
  const res = await send(conn, method, `/admin/v1${path}`, { body });
  const data = parseJson(await res.text());
  if (!res.ok) fail(EXIT.server, `${method} ${path} → ${res.status}: ${data?.error?.message ?? data?.detail ?? data.raw ?? ""}`);
  return data;
}

/** An admin GET whose body is not JSON (export): the response itself. */
export async function apiRaw(conn, path) {
  const res = await send(conn, "GET", `/admin/v1${path}`);
  if (!res.ok) {
    const data = parseJson(await res.text());
    fail(EXIT.server, `GET ${path} → ${res.status}: ${data?.error?.message ?? data.raw ?? ""}`);
  }
  return res;
}

/** A public endpoint (no admin token): /health, /.well-known/jwks.json. */
export async function publicGet(conn, path) {
  const res = await send(conn, "GET", path, { auth: false });
  return { status: res.status, data: parseJson(await res.text()) };
}
