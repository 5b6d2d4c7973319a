// The portal session: a setup link's secret (from the URL fragment) is exchanged once for an
// HttpOnly cookie (POST /portal/v1/session); a reload resumes it (GET); sign-out deletes it.
// The CSRF token comes only with the sign-in answer, and in a cookie script on this origin can read
// (__Host-scim_csrf): a reload finds it there. It rides on every write (api.ts useAuth).
import { useAuth } from "../../console/src/api";
import type { LinkPreviewJson, PortalSignInJson } from "../../src/access/http/responses";

/** The signed-in tenant (csrf_token only in the sign-in answer; GET never returns it). */
export type PortalSession = PortalSignInJson;

const SESSION = "/portal/v1/session";
let csrf = "";

/** This browser holds a live session of another tenant: sign-in waits for the person to confirm. */
export class OtherSessionOpen extends Error {}

export type LinkPreview = LinkPreviewJson;

/** Which tenant a link signs in to, without spending it; null when it no longer works. */
export async function previewLink(link: string): Promise<LinkPreview | null> {
  const res = await fetch("/portal/v1/setup-link", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ link }),
  });
  if (res.status === 401) return null;
  if (res.status === 429) throw new Error("Too many sign-in attempts from your network. Wait a minute, then open the link again.");
  if (!res.ok) throw new Error(`The portal could not start (${res.status}). Try again in a minute.`);
  return (await res.json()) as LinkPreview;
}

/** A session answer, or null when the server refuses it (401: no, used, expired or revoked link). */
async function sessionCall(method: string, body?: unknown): Promise<PortalSession | null> {
  const res = await fetch(SESSION, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) return null;
  if (res.status === 409) throw new OtherSessionOpen(((await res.json()) as { detail?: string }).detail ?? "another session is open");
  if (res.status === 429) throw new Error("Too many sign-in attempts from your network. Wait a minute, then open the link again.");
  if (!res.ok) throw new Error(`The portal could not start (${res.status}). Try again in a minute.`);
  const session = (await res.json()) as PortalSession;
  csrf = session.csrf_token ?? csrfFromCookie();
  return session;
}

const CSRF_COOKIE = "__Host-scim_csrf";
const csrfFromCookie = () =>
  document.cookie.split("; ").find((c) => c.startsWith(`${CSRF_COOKIE}=`))?.slice(CSRF_COOKIE.length + 1) ?? "";

/** The secret in `#setup=…`, removed from the address bar and history before it is used. */
export function takeSetupSecret(): string | null {
  const secret = /^#setup=([^&]+)$/.exec(location.hash)?.[1] ?? null;
  if (secret !== null) history.replaceState(null, "", location.pathname + location.search);
  return secret;
}

export const openSession = (link: string, replaceSession = false) => sessionCall("POST", { link, replace_session: replaceSession });
export const resumeSession = () => sessionCall("GET");

export async function endSession(): Promise<void> {
  await fetch(SESSION, { method: "DELETE", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
  csrf = "";
}

/** Installs the portal's credentials: the cookie goes by itself, writes add the CSRF header. */
export function usePortalAuth(onExpired: () => void): void {
  useAuth({
    headers: (method): Record<string, string> => (method === "GET" ? {} : { "X-CSRF-Token": csrf }),
    unauthorized: onExpired,
  });
}
