// #/tenants: the tenant list (with each tenant's lifecycle state), the create form, and a banner
// listing every tenant's tokens that expire within 30 days (GET /tokens/expiring).
import { api } from "../api";
import { flash, h, when, type Child } from "../dom";
import type { ExpiringToken, TenantJson } from "../types";
import { table } from "../widgets";

/**
 * The banner, or nothing when no token expires soon (or the deployment has no such route). The
 * report leaves out the short-lived access tokens an OAuth client renews itself.
 */
async function expiringBanner(): Promise<Child> {
  const res = await api<{ within_days: number; tokens: ExpiringToken[] }>("GET", "/tokens/expiring?within_days=30").catch(() => null);
  const tokens = res?.tokens ?? [];
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
      const t = await api<TenantJson>("POST", "/tenants", { name: name.value });
      location.hash = `#/tenants/${t.id}`;
    } catch (err) { flash(msg, (err as Error).message); }
  } }, h("label", { for: "tenant-name", class: "inline" }, "New tenant"), name, h("button", { type: "submit" }, "Create tenant"));
  const { tenants } = await api<{ tenants: TenantJson[] }>("GET", "/tenants");
  return h("div", {}, h("h1", {}, "Tenants"), await expiringBanner(), h("section", { class: "card" }, form, msg),
    h("section", { class: "card" }, table<TenantJson>([
      ["Name", (t) => h("a", { href: `#/tenants/${t.id}` }, t.name)], ["Id", (t) => h("code", {}, t.id)],
      ["State", (t) => h("span", { class: t.state && t.state !== "active" ? "error" : "" }, t.state ?? "active")],
      ["Shard", (t) => h("code", {}, t.shard ?? "")], ["Created", (t) => when(t.createdAt)],
    ], tenants, "tenants", (t) => (t.state && t.state !== "active" ? "muted" : ""))));
}
