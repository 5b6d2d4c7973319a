// HTTP to the local stack only: the service's admin API and /scim/v2, and the Device Hub emulator's
// control API. Every call is bounded by a timeout; a non-loopback URL is refused before any call.

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const CALL_TIMEOUT_MS = 60_000;

export function assertLoopback(url) {
  const host = new URL(url).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`the soak talks to loopback addresses only, not ${host}`);
}

/** One call; answers { status, body } (body parsed as JSON when it is JSON), or { status: 0, error } when no answer came. */
async function call(url, { method = "GET", headers = {}, body, timeoutMs = CALL_TIMEOUT_MS } = {}) {
  assertLoopback(url);
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // NDJSON or plain text: the caller reads the text
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  } catch (e) {
    return { status: 0, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The stack's endpoints; `stack` is mutable so a restart can swap in the new process's URLs. */
export function localApi(stack) {
  const admin = (method, path, body, opts = {}) =>
    call(`${stack.baseUrl}/admin/v1${path}`, { method, body, headers: { Authorization: `Bearer ${stack.adminToken}` }, ...opts });
  const scim = (token, method, path, body) =>
    call(`${stack.baseUrl}/scim/v2${path}`, {
      method,
      body,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/scim+json" }) },
    });
  const hub = (apiKey, method, path, body) =>
    call(`${stack.hubUrl}/__control${path}`, { method, body, headers: { Authorization: `Bearer ${apiKey}` } });
  return { admin, scim, hub };
}

/** Throw with the answer when a setup call did not succeed (setup is not part of what is measured). */
export function ok(res, what) {
  if (res.status >= 200 && res.status < 300) return res.body;
  throw new Error(`${what} failed: ${res.status} ${res.error ?? JSON.stringify(res.body)}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
