// The admin session: the token the user pasted (sessionStorage of this tab only), sign-out, and
// the one periodic refresh the visible view may run (cleared whenever the view changes).
import type { ApiAuth } from "./api";
import { byId } from "./dom";

const TOKEN_KEY = "edge-scim-admin-token";
let refreshTimer: ReturnType<typeof setInterval> | undefined;

export const adminToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

export function signIn(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/** The console's credentials for api.ts: the pasted token as a bearer; a 401 signs out. */
export const adminAuth: ApiAuth = {
  headers: () => ({ Authorization: `Bearer ${adminToken() ?? ""}` }),
  unauthorized: () => signOut("The admin token was not accepted."),
};

export function signOut(message = ""): void {
  sessionStorage.removeItem(TOKEN_KEY);
  stopRefresh();
  byId("view").replaceChildren();
  byId("signin").hidden = false;
  byId("signout").hidden = true;
  byId("signin-error").textContent = message;
}

/**
 * Run `tick` every `ms` while the tab is visible and `alive()` holds (its card is on the page; a
 * card still being assembled is not yet, so a false `alive()` skips a tick rather than stopping).
 * Each render stops the previous view's refresh first, so at most one runs.
 */
export function startRefresh(tick: () => unknown, alive: () => boolean, ms = 2000): void {
  stopRefresh();
  refreshTimer = setInterval(() => {
    if (alive() && document.visibilityState === "visible") tick();
  }, ms);
}

export function stopRefresh(): void {
  clearInterval(refreshTimer);
  refreshTimer = undefined;
}
