// The Entra compatibility card: which non-RFC shapes this tenant's Entra sent and we accepted.
import { api } from "../api";
import { h, when } from "../dom";
import { card, table } from "../widgets";

interface Rewrite { rewrite: string; count: number; lastSeenAt: string }

export async function compatCard(tenantId: string): Promise<HTMLElement> {
  const { rewrites } = await api<{ rewrites: Rewrite[] }>("GET", `/tenants/${tenantId}/compat`);
  return card("compat", "Entra compatibility rewrites seen",
    table<Rewrite>([["Rewrite", (r) => h("code", {}, r.rewrite)], ["Count", (r) => r.count], ["Last seen", (r) => when(r.lastSeenAt)]], rewrites, "compat"),
    h("p", { class: "muted" }, "Non-RFC shapes Entra sent and we accepted (docs/entra.md explains each)."));
}
