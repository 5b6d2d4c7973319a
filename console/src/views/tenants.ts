// #/tenants: the tenant list (with each tenant's lifecycle state), the create form, and a banner
// listing every tenant's tokens that expire within 30 days (GET /tokens/expiring).
import { api } from "../api";
import { flash, h, when, type Child } from "../dom";
import { isShortLived } from "../cards/tokens";
import type { ExpiringToken, Tenant, TokenRow } from "../types";
import { table } from "../widgets";

const MAX_LOOKUPS = 20;

/**
 * The report without the short-lived tokens an OAuth client renews itself. One with a day or more
 * left lived longer than a day; for the others without an issue date, it comes from their
 * tenant's token list (one call per such tenant, at most MAX_LOOKUPS).
 */
async function withoutShortLived(tokens: ExpiringToken[]): Promise<ExpiringToken[]> {
  const unsure = [...new Set(tokens.filter((t) => t.days_left === 0 && !t.issued_at).map((t) => t.tenant_id))].slice(0, MAX_LOOKUPS);
  const issued = new Map<string, string>();
  await Promise.all(unsure.map(async (id) => {
    const { tokens: rows } = await api<{ tokens: TokenRow[] }>("GET", `/tenants/${id}/tokens`).catch(() => ({ tokens: [] as TokenRow[] }));
    for (const r of rows) issued.set(r.jti, r.issued_at);
  }));
  return tokens.map((t) => ({ ...t, issued_at: t.issued_at ?? issued.get(t.jti) })).filter((t) => !isShortLived(t));
}

/** The banner, or nothing when no token expires soon (or the deployment has no such route). */
async function expiringBanner(): Promise<Child> {
  const res = await api<{ within_days: number; tokens: ExpiringToken[] }>("GET", "/tokens/expiring?within_days=30").catch(() => null);
  const tokens = res ? await withoutShortLived(res.tokens) : [];
  if (!res || !tokens.length) return "";
  return h("section", { class: "card warning-card", role: "alert", "data-testid": "expiring-banner" },
    h("h2", {}, `${tokens.length} token(s) expire within ${res.within_days} days`),
    h("p", {}, "An expired Secret Token silently stops Entra's provisioning: have the customer issue a new one (portal) or issue it on the tenant's page."),
    table<ExpiringToken>([
      ["Tenant", (t) => h("a", { href: `#/tenants/${t.tenant_id}` }, t.tenant_name)], ["Client", (t) => h("code", {}, t.client_id)],
      ["Expires", (t) => when(t.expires_at)], ["Days left", (t) => t.days_left],
    ], tokens, "expiring-tokens"));
}

export async function tenantsView(): Promise<HTMLElement> {
  const msg = h("div");
  const name = h("input", { id: "tenant-name", name: "name", required: true, placeholder: "Contoso" });
  const form = h("form", { class: "row", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      const t = await api<Tenant>("POST", "/tenants", { name: name.value });
      location.hash = `#/tenants/${t.id}`;
    } catch (err) { flash(msg, (err as Error).message); }
  } }, h("label", { for: "tenant-name", class: "inline" }, "New tenant"), name, h("button", { type: "submit" }, "Create tenant"));
  const { tenants } = await api<{ tenants: Tenant[] }>("GET", "/tenants");
  return h("div", {}, h("h1", {}, "Tenants"), await expiringBanner(), h("section", { class: "card" }, form, msg),
    h("section", { class: "card" }, table<Tenant>([
      ["Name", (t) => h("a", { href: `#/tenants/${t.id}` }, t.name)], ["Id", (t) => h("code", {}, t.id)],
      ["State", (t) => h("span", { class: t.state && t.state !== "active" ? "error" : "" }, t.state ?? "active")],
      ["Created", (t) => when(t.createdAt)],
    ], tenants, "tenants", (t) => (t.state && t.state !== "active" ? "muted" : ""))));
}
