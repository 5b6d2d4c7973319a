// The tenant's tokens over all its clients (GET …/tokens): expiry dates, the ones expiring within
// 30 days flagged (an expired Secret Token silently stops Entra's provisioning), revoke buttons.
// Shared by the console's tenant page and the portal.
import { api } from "../api";
import { flash, h, when } from "../dom";
import type { TokenRow } from "../types";
import { table } from "../widgets";

const DAY_MS = 86_400_000;

const isLive = (t: TokenRow, now: number) => !t.revoked_at && Date.parse(t.expires_at) > now;

/**
 * A token made to live a day or less (what the token endpoint gives an OAuth client every hour)
 * is renewed by its client: flagging it would bury the Secret Tokens someone must replace by hand.
 */
export const isShortLived = (t: { issued_at?: string; expires_at: string }) =>
  t.issued_at !== undefined && Date.parse(t.expires_at) - Date.parse(t.issued_at) <= DAY_MS;

function state(t: TokenRow, now: number): { text: string; cls: string } {
  if (t.revoked_at) return { text: `revoked ${when(t.revoked_at)}`, cls: "muted" };
  const left = Date.parse(t.expires_at) - now;
  if (left <= 0) return { text: "expired", cls: "muted" };
  if (isShortLived(t)) return { text: "active (short-lived, renewed by its client)", cls: "" };
  if (t.expiring_soon) return { text: `expires in ${Math.max(1, Math.ceil(left / DAY_MS))} day(s): issue a new one`, cls: "expiring" };
  return { text: "active", cls: "" };
}

export interface TokenList {
  el: HTMLElement;
  /** Draws the list again (after a token was issued elsewhere on the page). */
  refresh: () => Promise<void>;
}

/** The table and a line counting the tokens that expire soon. */
export async function tokenList(tenantId: string): Promise<TokenList> {
  const box = h("div");
  const msg = h("div");
  async function refresh() {
    const { tokens } = await api<{ tokens: TokenRow[] }>("GET", `/tenants/${tenantId}/tokens`);
    const now = Date.now();
    const soon = tokens.filter((t) => state(t, now).cls === "expiring").length;
    const revoke = (t: TokenRow) => async () => {
      if (!confirm(`Revoke token ${t.jti}? Whatever uses it gets 401 at once.`)) return;
      try {
        await api("DELETE", `/tenants/${tenantId}/tokens/${encodeURIComponent(t.jti)}`);
        await refresh();
        flash(msg, `Revoked token ${t.jti}.`, "ok");
      } catch (err) { flash(msg, (err as Error).message); }
    };
    box.replaceChildren(
      soon ? h("p", { class: "warning", role: "alert", "data-testid": "tokens-expiring" }, `${soon} token(s) expire within 30 days. Issue a new Secret Token and paste it into Entra before then, or provisioning stops.`) : "",
      table<TokenRow>([
        ["Client", (t) => h("code", {}, t.client_id)], ["Token id", (t) => h("code", {}, t.jti)],
        ["Issued", (t) => when(t.issued_at)], ["Expires", (t) => when(t.expires_at)],
        ["Status", (t) => h("span", { class: state(t, now).cls }, state(t, now).text)],
        ["", (t) => (isLive(t, now) ? h("button", { type: "button", class: "danger", onclick: revoke(t) }, "Revoke") : "")],
      ], tokens, "tokens", (t) => (state(t, now).cls === "expiring" ? "expiring" : "")),
      msg);
  }
  const safeRefresh = async () => {
    try {
      await refresh();
    } catch (err) {
      box.replaceChildren(h("p", { class: "error" }, `Tokens unavailable: ${(err as Error).message}`));
    }
  };
  await safeRefresh();
  return { el: box, refresh: safeRefresh };
}
