// The tenant-admin credentials card: the customer's API tokens (who created each, whether it ends
// with its creator, last use) and portal sessions, each revocable. Revoking an API token also
// revokes the SCIM clients and tokens it created (unless kept); ending a session also revokes the
// API tokens it created (unless kept). GET/DELETE …/api-tokens and …/portal-sessions.
import { api } from "../api";
import { flash, h, when } from "../dom";
import type { PortalSessionRow, TenantApiToken } from "../types";
import { card, table } from "../widgets";

export async function tenantCredentialsCard(tenantId: string): Promise<HTMLElement> {
  const base = `/tenants/${tenantId}`;
  const out = h("div", { "data-testid": "tenant-credentials-out" });
  const tokens = h("div");
  const sessions = h("div");
  const guard = (fn: () => Promise<unknown>) => async () => {
    try { await fn(); } catch (err) { flash(out, (err as Error).message); }
  };
  const revokeToken = (t: TenantApiToken) => guard(async () => {
    if (!confirm(`Revoke API token "${t.name}"? The SCIM clients and tokens it created end too, unless they were kept.`)) return;
    await api("DELETE", `${base}/api-tokens/${t.id}`);
    flash(out, "API token revoked.", "ok");
    await refresh();
  });
  const endSession = (s: PortalSessionRow) => guard(async () => {
    if (!confirm("End this portal session? The API tokens it created end too, unless they were kept.")) return;
    await api("DELETE", `${base}/portal-sessions/${s.id}`);
    flash(out, "Portal session ended.", "ok");
    await refresh();
  });
  const live = (t: TenantApiToken) => t.revoked_at === null && Date.parse(t.expires_at) > Date.now();
  async function refresh() {
    const [{ api_tokens }, { portal_sessions }] = await Promise.all([
      api<{ api_tokens: TenantApiToken[] }>("GET", `${base}/api-tokens`),
      api<{ portal_sessions: PortalSessionRow[] }>("GET", `${base}/portal-sessions`),
    ]);
    tokens.replaceChildren(table<TenantApiToken>([
      ["Name", (t) => t.name], ["Created", (t) => when(t.created_at)], ["By", (t) => t.created_by ?? "unknown"],
      ["Ends with creator", (t) => (t.ends_with_creator ? "yes" : "no (kept)")],
      ["Expires", (t) => when(t.expires_at)], ["Last used", (t) => (t.last_used_at ? when(t.last_used_at) : "never")],
      ["Status", (t) => (t.revoked_at ? `revoked ${when(t.revoked_at)}` : live(t) ? "active" : "expired")],
      ["", (t) => (live(t) ? h("button", { type: "button", class: "danger", onclick: revokeToken(t) }, "Revoke") : "")],
    ], api_tokens, "tenant-api-tokens", (t) => (live(t) ? "" : "muted")));
    sessions.replaceChildren(table<PortalSessionRow>([
      ["Opened", (s) => when(s.created_at)], ["Expires", (s) => when(s.expires_at)], ["Setup link", (s) => s.link_id],
      ["Status", (s) => h("span", { class: s.status === "active" ? "ok" : "muted" }, s.status)],
      ["", (s) => (s.status === "active" ? h("button", { type: "button", class: "danger", onclick: endSession(s) }, "End") : "")],
    ], portal_sessions, "portal-sessions", (s) => (s.status === "active" ? "" : "muted")));
  }
  await refresh().catch((err: Error) => tokens.replaceChildren(h("p", { class: "error" }, `Tenant credentials unavailable: ${err.message}`)));
  // A trust of Entra-issued tokens without an application id accepts any app of that Entra tenant.
  const trust = await api<{ appIdMissing?: boolean }>("GET", `${base}/entra-tokens`).catch(() => null);
  const trustWarning = trust?.appIdMissing
    ? h("p", { class: "error", "data-testid": "entra-app-id-missing" },
      "Entra-issued tokens are accepted from any application of the customer's Entra tenant: set the application id (edge-scim entra-tokens set … --app-id GUID).")
    : "";
  return card("tenant-credentials", "Customer API tokens and portal sessions",
    h("p", { class: "muted" }, "What the customer's IT admin created in the portal. Revoking here takes effect at once."),
    trustWarning, out, h("h3", {}, "API tokens"), tokens, h("h3", {}, "Portal sessions"), sessions);
}
