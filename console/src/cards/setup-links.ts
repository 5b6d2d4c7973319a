// The setup link card: a single-use, expiring link to the portal for the customer's IT admin
// (POST …/setup-links, shown once with a copy button), the tenant's links with their status,
// and revoke (which also ends the portal sessions opened with that link).
import { api } from "../api";
import { flash, h, when } from "../dom";
import type { SetupLink } from "../types";
import { card, secretBox, table } from "../widgets";

interface CreatedLink { id: string; url: string; expires_at: string }

const DAYS = [1, 3, 7, 14, 30];

export async function setupLinkCard(tenantId: string): Promise<HTMLElement> {
  const base = `/tenants/${tenantId}/setup-links`;
  const out = h("div", { "data-testid": "setup-link-out" });
  const list = h("div");
  const days = h("select", { id: "setup-link-days" }, DAYS.map((d) => h("option", { value: d, selected: d === 7 }, `${d} day${d > 1 ? "s" : ""}`)));
  const note = h("input", { id: "setup-link-note", maxlength: 200, placeholder: "e.g. for Jane at Contoso IT" });
  const guard = (fn: () => Promise<unknown>) => async () => {
    try { await fn(); } catch (err) { flash(out, (err as Error).message); }
  };
  const revoke = (l: SetupLink) => guard(async () => {
    if (!confirm("Revoke this setup link? Portal sessions opened with it end too.")) return;
    await api("DELETE", `${base}/${l.id}`);
    flash(out, "Link revoked.", "ok");
    await refresh();
  });
  async function refresh() {
    const { links } = await api<{ links: SetupLink[] }>("GET", base);
    list.replaceChildren(table<SetupLink>([
      ["Created", (l) => when(l.created_at)], ["Expires", (l) => when(l.expires_at)],
      ["Status", (l) => h("span", { class: l.status === "active" ? "ok" : "muted" }, l.status + (l.used_at ? ` ${when(l.used_at)}` : ""))],
      ["Note", (l) => l.note ?? ""],
      ["", (l) => (l.status === "active" || l.status === "used" ? h("button", { type: "button", class: "danger", onclick: revoke(l) }, "Revoke") : "")],
    ], links, "setup-links", (l) => (l.status === "active" ? "" : "muted")));
  }
  const create = guard(async () => {
    const body = { expires_in_days: Number(days.value), ...(note.value.trim() ? { note: note.value.trim() } : {}) };
    const link = await api<CreatedLink>("POST", base, body);
    note.value = "";
    out.replaceChildren(secretBox("Setup link for the customer's IT admin", [["Setup link", link.url, "setup-link-url"]],
      `Single use, expires ${when(link.expires_at)}. Send it now: it is shown only once.`));
    await refresh();
  });
  await refresh().catch((err: Error) => list.replaceChildren(h("p", { class: "error" }, `Setup links unavailable: ${err.message}`)));
  return card("setup-links", "Setup link (self-service portal)",
    h("p", { class: "muted" }, "The customer's IT admin opens the link once, then connects Entra, issues tokens and watches provisioning for this tenant only."),
    h("div", { class: "row" }, h("label", { for: "setup-link-days", class: "inline" }, "Valid for"), days,
      h("label", { for: "setup-link-note", class: "inline" }, "Note"), note,
      h("button", { type: "button", onclick: create }, "Create setup link")),
    out, h("h3", {}, "Links"), list);
}
