// #/tenants/<id>: the tenant's cards. A deleted (or deleting) tenant shows only how far its purge
// got, refreshed every 2 s, since its other admin resources are going away.
import { api } from "../api";
import { h } from "../dom";
import { startRefresh } from "../session";
import type { ActiveTenantJson, OffboardedTenantJson, TenantStatusJson } from "../types";
import { auditCard } from "../cards/audit";
import { compatCard } from "../cards/compat";
import { connectionCard } from "../cards/connection";
import { extensionsCard } from "../cards/extensions";
import { hubCard } from "../cards/hub";
import { hubOptionsCard } from "../cards/hub-options";
import { lifecycleCard, purgeView } from "../cards/lifecycle";
import { provisioningCard } from "../cards/provisioning";
import { requestsCard } from "../cards/requests";
import { setupLinkCard } from "../cards/setup-links";
import { tenantCredentialsCard } from "../cards/tenant-credentials";
import { syncPolicyCard } from "../cards/sync-policy";
import { tokenPolicyCard } from "../cards/token-policy";
import { tokenList } from "../cards/tokens";
import { card } from "../widgets";

const isActive = (t: TenantStatusJson): t is ActiveTenantJson => (t.state ?? "active") === "active";

function deletedView(tenant: OffboardedTenantJson): HTMLElement {
  const status = h("div", {}, purgeView(tenant));
  startRefresh(async () => {
    const now = await api<OffboardedTenantJson>("GET", `/tenants/${tenant.id}`).catch(() => null);
    if (now) status.replaceChildren(purgeView(now));
  }, () => status.isConnected);
  return status;
}

/** `rerender` draws the view again (after a rename or a delete). */
export async function tenantView(id: string, rerender: () => void): Promise<HTMLElement> {
  const tenant = await api<TenantStatusJson>("GET", `/tenants/${id}`);
  const view = h("div", {}, h("p", {}, h("a", { href: "#/tenants" }, "← Tenants")), h("h1", { "data-testid": "tenant-name", "data-tenant-id": tenant.id }, tenant.name),
    tenant.shard ? h("p", { class: "muted" }, "Stored on shard ", h("code", { "data-testid": "tenant-shard" }, tenant.shard)) : "");
  if (!isActive(tenant)) {
    view.append(deletedView(tenant));
    return view;
  }
  // The hub options and policies exist once the hub settings are saved: drawn again after a save.
  const hubExtras = h("div", { class: "grid" });
  const drawHubExtras = async () => hubExtras.replaceChildren(await hubOptionsCard(id), await syncPolicyCard(id));
  await drawHubExtras();
  const tokens = await tokenList(id);
  view.append(await connectionCard(tenant, tokens.refresh), card("tokens-card", "Tokens", tokens.el), await tokenPolicyCard(id), await setupLinkCard(id), await tenantCredentialsCard(id), await provisioningCard(id),
    h("div", { class: "grid" }, await hubCard(id, drawHubExtras), await compatCard(id)), hubExtras,
    await extensionsCard(id), await requestsCard(id, "SCIM requests"), await auditCard(id), lifecycleCard(tenant, rerender));
  return view;
}
