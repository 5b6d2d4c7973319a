// #/tenants: the tenant list (with each tenant's lifecycle state) and the create form.
import { api } from "../api";
import { flash, h, when } from "../dom";
import type { Tenant } from "../types";
import { table } from "../widgets";

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
  return h("div", {}, h("h1", {}, "Tenants"), h("section", { class: "card" }, form, msg),
    h("section", { class: "card" }, table<Tenant>([
      ["Name", (t) => h("a", { href: `#/tenants/${t.id}` }, t.name)], ["Id", (t) => h("code", {}, t.id)],
      ["State", (t) => h("span", { class: t.state && t.state !== "active" ? "error" : "" }, t.state ?? "active")],
      ["Created", (t) => when(t.createdAt)],
    ], tenants, "tenants", (t) => (t.state && t.state !== "active" ? "muted" : ""))));
}
