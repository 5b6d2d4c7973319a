// Admin API client (/admin/v1, bearer admin token). Error bodies are either SCIM errors
// ({ detail, status }) or the admin shape ({ error: { status, message } }); both become ApiError.
import { adminToken, signOut } from "./session";

export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
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

/** The raw response of an admin API call (for downloads and headers); 401 signs out. */
export async function apiFetch(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${adminToken() ?? ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`/admin/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    signOut("The admin token was not accepted.");
    throw new ApiError("unauthorized", 401);
  }
  if (!res.ok) throw new ApiError(errorMessage(await parse<ErrorBody>(res), res), res.status);
  return res;
}

async function parse<T>(res: Response): Promise<T> {
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
