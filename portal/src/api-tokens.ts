// Tenant API tokens for scripts (POST/GET/DELETE /portal/v1/api-tokens): a name and a lifetime,
// the token shown once; the list with expiry and last use; revoke.
import { apiAt } from "../../console/src/api";
import { flash, h, when } from "../../console/src/dom";
import { secretBox, table } from "../../console/src/widgets";
import type { ApiTokenJson } from "../../src/access/http/responses";

const BASE = "/portal/v1/api-tokens";

/** GET /portal/v1/api-tokens lists each token as the API's apiTokenJson writes it. */
type ApiToken = ApiTokenJson;

export async function apiTokensPart(): Promise<HTMLElement> {
  const out = h("div", { "data-testid": "api-token-out" });
  const list = h("div");
  const name = h("input", { id: "api-token-name", required: true, maxlength: 100, placeholder: "nightly report script" });
  const days = h("input", { id: "api-token-days", type: "number", min: 1, max: 365, value: 90, required: true });
  // A token ends with the session that made it (sign-out, or the provider revoking the link)
  // unless kept: the choice is made here, once, and shown in the list.
  const keep = h("input", { id: "api-token-keep", type: "checkbox" });
  const guard = (fn: () => Promise<unknown>) => async () => {
    try { await fn(); } catch (err) { flash(out, (err as Error).message); }
  };
  async function refresh() {
    const { api_tokens } = await apiAt<{ api_tokens: ApiToken[] }>("GET", BASE);
    list.replaceChildren(table<ApiToken>([
      ["Name", (t) => t.name], ["Created", (t) => when(t.created_at)], ["Expires", (t) => when(t.expires_at)],
      ["Last used", (t) => when(t.last_used_at)],
      ["After sign-out", (t) => (t.ends_with_creator === false ? "kept" : "ends")], ["Status", (t) => (t.revoked_at ? `revoked ${when(t.revoked_at)}` : Date.parse(t.expires_at) < Date.now() ? "expired" : "active")],
      ["", (t) => (t.revoked_at ? "" : h("button", { type: "button", class: "danger", onclick: guard(async () => {
        if (!confirm(`Revoke the API token “${t.name}”?`)) return;
        await apiAt("DELETE", `${BASE}/${encodeURIComponent(t.id)}`);
        flash(out, `Revoked “${t.name}”.`, "ok");
        await refresh();
      }) }, "Revoke"))],
    ], api_tokens, "api-tokens"));
  }
  const form = h("form", { class: "row", onsubmit: (e: Event) => {
    e.preventDefault();
    void guard(async () => {
      const t = await apiAt<{ token: string; expires_at: string }>("POST", BASE, { name: name.value.trim(), expires_in_days: Number(days.value), keep: keep.checked });
      name.value = "";
      keep.checked = false;
      out.replaceChildren(secretBox("API token for scripts", [["API token", t.token, "api-token"]],
        `Send it as “Authorization: Bearer …” to the admin API routes of this tenant. Expires ${when(t.expires_at)}. It is shown only now.`));
      await refresh();
    })();
  } }, h("label", { for: "api-token-name", class: "inline" }, "Name"), name,
    h("label", { for: "api-token-days", class: "inline" }, "Days"), days,
    keep, h("label", { for: "api-token-keep", class: "inline" }, "Keep it working after I sign out"),
    h("button", { type: "submit" }, "Create API token"));
  await refresh().catch((err: Error) => list.replaceChildren(h("p", { class: "error" }, `API tokens unavailable: ${err.message}`)));
  return h("div", {}, h("p", { class: "muted" }, "For your own scripts: an API token reads and manages this tenant (clients, tokens, provisioning, audit log) without this page. It stops working when you sign out, unless you keep it."),
    form, out, list);
}
