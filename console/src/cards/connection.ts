// The SCIM connection card: what to paste into Microsoft Entra ID, the tenant's OAuth clients,
// and the actions on them (issue a token, rotate the secret, revoke). Secrets are shown once.
// The client list (clientsPart) is shared with the portal.
import { api } from "../api";
import { flash, h, when } from "../dom";
import type { ActiveTenantJson, ClientJson, CreatedClientJson } from "../types";
import { card, copyField, secretBox, table } from "../widgets";

const LIFETIMES: [string, number][] = [["1 hour", 3600], ["1 day", 86400], ["30 days", 2592000], ["1 year", 31536000], ["10 years", 315360000]];

interface IssuedToken { access_token: string; expires_at: string }

type Guard = (fn: () => Promise<unknown>) => () => Promise<void>;

/** The buttons of one active client: issue a token (of the chosen lifetime), rotate, revoke. */
function clientActions(base: string, lifetime: HTMLSelectElement, out: HTMLElement, guard: Guard, refresh: () => Promise<void>) {
  const issue = (c: ClientJson) => guard(async () => {
    const t = await api<IssuedToken>("POST", `${base}/${c.client_id}/tokens`, { expires_in: Number(lifetime.value) });
    out.replaceChildren(secretBox("Token for Entra's Secret Token field", [["Secret Token", t.access_token, "issued-token"]],
      `Expires ${when(t.expires_at)}. Copy it now: it is shown only once.`));
  });
  const rotate = (c: ClientJson) => guard(async () => {
    const r = await api<{ client_secret: string }>("POST", `${base}/${c.client_id}/rotate`);
    out.replaceChildren(secretBox(`New client secret for ${c.client_id}`, [["Client secret", r.client_secret, "client-secret"]]));
  });
  const revoke = (c: ClientJson) => guard(async () => {
    if (!confirm(`Revoke ${c.client_id}? Its tokens stop working at once.`)) return;
    await api("DELETE", `${base}/${c.client_id}`);
    flash(out, `Revoked ${c.client_id}.`, "ok");
    await refresh();
  });
  return (c: ClientJson) => c.status !== "active" ? "" : h("div", { class: "row" },
    h("button", { type: "button", onclick: issue(c) }, "Issue token"),
    h("button", { type: "button", class: "secondary", onclick: rotate(c) }, "Rotate secret"),
    h("button", { type: "button", class: "danger", onclick: revoke(c) }, "Revoke"));
}

export interface ClientsPart {
  /** The clients table, the lifetime picker with a "Create client" button, the shown-once output. */
  el: HTMLElement;
  refresh: () => Promise<void>;
}

/** `onTokensChanged` runs after every action (a token list elsewhere on the page redraws). */
export async function clientsPart(tenantId: string, onTokensChanged: () => unknown = () => {}): Promise<ClientsPart> {
  const base = `/tenants/${tenantId}/clients`;
  const out = h("div", { "data-testid": "conn-out" });
  const list = h("div");
  const lifetime = h("select", { id: "lifetime" }, LIFETIMES.map(([label, s]) => h("option", { value: s, selected: s === 31536000 }, label)));
  const guard: Guard = (fn) => async () => {
    try { await fn(); await onTokensChanged(); } catch (err) { flash(out, (err as Error).message); }
  };
  const actions = clientActions(base, lifetime, out, guard, () => refresh());
  async function refresh() {
    const { clients } = await api<{ clients: ClientJson[] }>("GET", base);
    list.replaceChildren(table<ClientJson>([
      ["Client id", (c) => h("code", {}, c.client_id)], ["Name", (c) => c.name], ["Status", (c) => c.status],
      ["Created", (c) => when(c.created_at)], ["Actions", actions],
    ], clients, "clients"));
  }
  const create = guard(async () => {
    const c = await api<CreatedClientJson>("POST", base, { name: "Microsoft Entra ID" });
    await refresh();
    out.replaceChildren(secretBox("New OAuth client", [["Client identifier", c.client_id, "client-id"], ["Client secret", c.client_secret, "client-secret"]]));
  });
  await refresh();
  const el = h("div", {}, list,
    h("div", { class: "row" }, h("label", { for: "lifetime", class: "inline" }, "Token lifetime"), lifetime,
      h("button", { type: "button", onclick: create }, "Create client")),
    out);
  return { el, refresh };
}

export async function connectionCard(tenant: ActiveTenantJson, onTokensChanged: () => unknown = () => {}): Promise<HTMLElement> {
  const clients = await clientsPart(tenant.id, onTokensChanged);
  return card("conn", "SCIM connection (paste into Microsoft Entra ID)",
    copyField("Tenant URL", tenant.scim.tenantUrl, "tenant-url"), copyField("Token endpoint", tenant.scim.tokenEndpoint, "token-endpoint"),
    h("h3", {}, "Clients"), clients.el);
}
