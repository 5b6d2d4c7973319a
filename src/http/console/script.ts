// The admin console's browser code, served as /admin/console.js: helpers, cards and the hash
// router (#/tenants, #/tenants/<id>). Plain DOM, no framework; the admin token lives in
// sessionStorage and travels only in the Authorization header.
import { PROVISIONING_JS } from "./script-provisioning";
import { CORE_JS } from "./script-core";
import { TENANT_JS } from "./script-tenant";

const ROUTER_JS = String.raw`
async function tenantsView() {
  const view = h("div");
  const msg = h("div");
  const form = h("form", { class: "row", onsubmit: async (e) => {
    e.preventDefault();
    try { const t = await api("POST", "/tenants", { name: form.name.value }); location.hash = "#/tenants/" + t.id; } catch (err) { flash(msg, err.message); }
  } }, h("label", { for: "tenant-name", class: "inline" }, "New tenant"), h("input", { id: "tenant-name", name: "name", required: true, placeholder: "Contoso" }), h("button", { type: "submit" }, "Create tenant"));
  const { tenants } = await api("GET", "/tenants");
  view.append(h("h1", {}, "Tenants"), h("section", { class: "card" }, form, msg),
    h("section", { class: "card" }, table([["Name", (t) => h("a", { href: "#/tenants/" + t.id }, t.name)], ["Id", (t) => h("code", {}, t.id)], ["Created", (t) => when(t.createdAt)]], tenants, undefined, "tenants")));
  return view;
}

async function tenantView(id) {
  const tenant = await api("GET", "/tenants/" + id);
  const view = h("div", {}, h("p", {}, h("a", { href: "#/tenants" }, "← Tenants")), h("h1", { "data-testid": "tenant-name" }, tenant.name));
  view.append(await connectionCard(tenant), await provisioningCard(id), h("div", { class: "grid" }, await hubCard(id), await compatCard(id)), await auditCard(id));
  return view;
}

async function render() {
  if (!sessionStorage.getItem(TOKEN_KEY)) return signOut();
  $("#signin").hidden = true;
  $("#signout").hidden = false;
  clearInterval(refreshTimer);
  const m = /^#\/tenants\/([\w-]+)/.exec(location.hash);
  try { $("#view").replaceChildren(m ? await tenantView(m[1]) : await tenantsView()); }
  catch (err) { if (err.status !== 401) $("#view").replaceChildren(h("p", { class: "error", role: "alert" }, String(err.message))); }
}

$("#signin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("#admin-token").value.trim());
  $("#admin-token").value = "";
  render();
});
$("#signout").addEventListener("click", () => signOut());
window.addEventListener("hashchange", render);
render();
`;

export const CONSOLE_JS = CORE_JS + PROVISIONING_JS + TENANT_JS + ROUTER_JS;
