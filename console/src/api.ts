// API client shared by the admin console and the portal: each page installs its credentials
// (useAuth) once. Error bodies are either SCIM errors ({ detail, status }) or the admin shape
// ({ error: { status, message } }); both become ApiError.

export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** How a page authenticates its calls and what a 401 does (sign out, or "session ended"). */
export interface ApiAuth {
  headers(method: string): Record<string, string>;
  unauthorized(): void;
}

let auth: ApiAuth = { headers: () => ({}), unauthorized: () => {} };

export function useAuth(pageAuth: ApiAuth): void {
  auth = pageAuth;
}

interface ErrorBody {
  detail?: string;
  error_description?: string;
  error?: { message?: string } | string;
}

function errorMessage(data: ErrorBody, res: Response): string {
  const nested = typeof data.error === "object" ? data.error?.message : undefined;
  return data.detail || data.error_description || nested || `${res.status} ${res.statusText}`;
}

/** The raw response of a same-origin API call (any path); 401 goes to the page's handler. */
export async function request(method: string, url: string, body?: unknown): Promise<Response> {
  const headers = auth.headers(method);
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    auth.unauthorized();
    throw new ApiError("unauthorized", 401);
  }
  if (!res.ok) throw new ApiError(errorMessage(await parse<ErrorBody>(res), res), res.status);
  return res;
}

/** The raw response of an admin API call (for downloads and headers). */
export const apiFetch = (method: string, path: string, body?: unknown): Promise<Response> => request(method, `/admin/v1${path}`, body);

export async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return (text ? JSON.parse(text) : {}) as T;
  } catch {
    return { detail: text.slice(0, 200) } as T;
  }
}

/** A JSON admin API call; the caller names the response type it expects. */
export async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  return parse<T>(await apiFetch(method, path, body));
}

/** A JSON call to any same-origin path (the portal's /portal/v1 routes). */
export async function apiAt<T = Record<string, unknown>>(method: string, url: string, body?: unknown): Promise<T> {
  return parse<T>(await request(method, url, body));
}
