// Drive the real Worker fetch handler, as a client would.
import { exports } from "cloudflare:workers";

export const ORIGIN = "https://scim.test";
export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

type Json = Record<string, unknown>;

export interface CallOptions {
  method?: string;
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function call(path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers["Authorization"] = `Bearer ${opts.token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["Content-Type"] ??= "application/scim+json";
  }
  const url = path.startsWith("http") ? path : `${ORIGIN}${path}`;
  return (exports as unknown as { default: Fetcher }).default.fetch(url, {
    method: opts.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
}

export async function json<T = Json>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export const admin = (path: string, opts: Omit<CallOptions, "token"> = {}) =>
  call(`/admin/v1${path}`, { ...opts, token: ADMIN_TOKEN, headers: { "Content-Type": "application/json", ...opts.headers } });
