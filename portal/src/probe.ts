// "Test connection" as Entra runs it: with the credentials the customer will paste, read
// /ServiceProviderConfig, then search for a user that cannot exist and expect an empty list.
// The verdict is the sentence Entra's own test would amount to. No cookie is sent (as Entra).

/** A Secret Token, or the OAuth client credentials Entra exchanges at the token endpoint. */
export type Credentials = { kind: "token"; token: string } | { kind: "oauth"; clientId: string; clientSecret: string };

export interface Verdict { ok: boolean; text: string }

const ENTRA = "Entra would report: ";

/** What a failed step's status means to the customer. */
function failure(step: string, status: number): Verdict {
  const why: Record<number, string> = {
    400: "the request was refused as malformed (400)",
    401: "the credentials are invalid, expired or revoked (401). Create a new Secret Token (or client secret) and paste it again",
    403: "the credentials are not allowed to read this tenant's users (403)",
    404: "the Tenant URL is wrong (404). Copy it again from step 3",
    429: "too many requests (429). Wait a minute and test again",
  };
  const text = why[status] ?? (status >= 500 ? `the service had an error (${status}). Try again; if it stays, tell your provider` : `an unexpected answer (${status})`);
  return { ok: false, text: `${ENTRA}${text} — at ${step}.` };
}

/** A path of ours (the page may only call its own origin) from an absolute URL. */
const pathOf = (url: string) => new URL(url, location.origin).pathname.replace(/\/+$/, "");

async function bearer(creds: Credentials, tokenEndpoint: string): Promise<string | Verdict> {
  if (creds.kind === "token") return creds.token.replace(/^Bearer\s+/i, "").trim();
  const res = await fetch(pathOf(tokenEndpoint), {
    method: "POST",
    credentials: "omit",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: creds.clientId, client_secret: creds.clientSecret }),
  });
  if (!res.ok) return failure("the token endpoint (client identifier or secret)", res.status === 400 ? 401 : res.status);
  return ((await res.json()) as { access_token: string }).access_token;
}

function isEmptyList(body: unknown): boolean {
  const b = body as { schemas?: string[]; totalResults?: number; Resources?: unknown[] } | null;
  return !!b?.schemas?.includes("urn:ietf:params:scim:api:messages:2.0:ListResponse") && b.totalResults === 0 && (b.Resources ?? []).length === 0;
}

export async function testConnection(creds: Credentials, tenantUrl: string, tokenEndpoint: string): Promise<Verdict> {
  try {
    const token = await bearer(creds, tokenEndpoint);
    if (typeof token !== "string") return token;
    const get = (path: string) => fetch(pathOf(tenantUrl) + path, { credentials: "omit", headers: { Authorization: `Bearer ${token}`, Accept: "application/scim+json" } });
    const config = await get("/ServiceProviderConfig");
    if (!config.ok) return failure("GET /ServiceProviderConfig", config.status);
    const probe = `entra-test-${crypto.randomUUID()}`;
    const users = await get(`/Users?filter=${encodeURIComponent(`userName eq "${probe}"`)}`);
    if (!users.ok) return failure("GET /Users?filter=userName eq …", users.status);
    if (!isEmptyList(await users.json().catch(() => null))) {
      return { ok: false, text: `${ENTRA}an unexpected answer to its test query (a search for a user that does not exist did not return an empty list).` };
    }
    return { ok: true, text: `${ENTRA}credentials are valid. The Tenant URL answers, the token is accepted, and a search for a user that does not exist returns an empty list, as Entra expects.` };
  } catch {
    return { ok: false, text: `${ENTRA}the Tenant URL cannot be reached (network error).` };
  }
}
