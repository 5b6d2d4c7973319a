// The portal's credentials for tests: a setup link from the operator, a signed-in session (cookie
// and CSRF token) and tenant API tokens, all through the real fetch handler.
import { admin, call, json, type CallOptions } from "./http";

export interface PortalSession {
  cookie: string;
  csrf: string;
  setCookie: string;
  tenantName: string;
  expiresAt: string;
}

/** The link's secret (from the URL fragment) and its id. */
export async function newSetupLink(tenantId: string, body: Record<string, unknown> = {}) {
  const res = await admin(`/tenants/${tenantId}/setup-links`, { body });
  if (res.status !== 201) throw new Error(`setup link: ${res.status} ${await res.text()}`);
  const link = await json<{ id: string; url: string }>(res);
  return { id: link.id, url: link.url, secret: new URL(link.url).hash.replace(/^#setup=/, "") };
}

export const signInCall = (secret: unknown) => call("/portal/v1/session", { method: "POST", body: { link: secret } });

export async function signIn(secret: string): Promise<PortalSession> {
  const res = await signInCall(secret);
  if (res.status !== 201) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const body = await json<{ csrf_token: string; tenant_name: string; expires_at: string }>(res);
  // Two cookies: the HttpOnly session cookie and the CSRF cookie the portal's script reads.
  const cookies = res.headers.getSetCookie();
  const setCookie = cookies.find((c) => c.startsWith("__Host-scim_portal=")) ?? "";
  return { cookie: setCookie.split(";")[0]!, csrf: body.csrf_token, setCookie, tenantName: body.tenant_name, expiresAt: body.expires_at };
}

/** A new tenant admin session for the tenant. */
export async function portalSessionFor(tenantId: string): Promise<PortalSession> {
  return signIn((await newSetupLink(tenantId)).secret);
}

/** A request with the session's cookie, and its CSRF token unless `csrf` says otherwise. */
export function withSession(s: PortalSession, path: string, opts: CallOptions & { csrf?: string | null } = {}) {
  const { csrf = s.csrf, ...rest } = opts;
  return call(path, {
    ...rest,
    headers: { "Content-Type": "application/json", Cookie: s.cookie, ...(csrf === null ? {} : { "X-CSRF-Token": csrf }), ...rest.headers },
  });
}

/** A tenant API token issued from the session. */
export async function newApiToken(s: PortalSession, body: Record<string, unknown> = { name: "script" }) {
  const res = await withSession(s, "/portal/v1/api-tokens", { method: "POST", body });
  if (res.status !== 201) throw new Error(`api token: ${res.status} ${await res.text()}`);
  return json<{ id: string; token: string; expires_at: string }>(res);
}

/** A request with a tenant API token as the bearer. */
export const withApiToken = (token: string, path: string, opts: CallOptions = {}) =>
  call(path, { ...opts, token, headers: { "Content-Type": "application/json", ...opts.headers } });
