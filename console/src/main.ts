// The admin console's entry (bundled to /admin/console.js): sign-in form, sign-out, and the hash
// router (#/tenants, #/tenants/<id>). Plain DOM, no framework; the admin token lives in
// sessionStorage and travels only in the Authorization header (api.ts).
import { ApiError, useAuth } from "./api";
import { byId, h } from "./dom";
import { adminAuth, adminToken, signIn, signOut, stopRefresh } from "./session";
import { tenantView } from "./views/tenant";
import { tenantsView } from "./views/tenants";

async function render(): Promise<void> {
  if (!adminToken()) return signOut();
  byId("signin").hidden = true;
  byId("signout").hidden = false;
  stopRefresh();
  const m = /^#\/tenants\/([\w-]+)/.exec(location.hash);
  try {
    byId("view").replaceChildren(m?.[1] ? await tenantView(m[1], () => void render()) : await tenantsView());
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) byId("view").replaceChildren(h("p", { class: "error", role: "alert" }, String((err as Error).message)));
  }
}

useAuth(adminAuth);
byId("signin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = byId<HTMLInputElement>("admin-token");
  signIn(input.value.trim());
  input.value = "";
  void render();
});
byId("signout").addEventListener("click", () => signOut());
window.addEventListener("hashchange", () => void render());
void render();
