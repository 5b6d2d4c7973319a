// The tenant card: rename, export the directory (NDJSON, paged by the X-Next-Cursor header, saved
// as one file) and delete (offboard). A deleted tenant shows how far the purge got.
import { api, apiFetch } from "../api";
import { buttonOf, flash, h, when } from "../dom";
import { saveFile } from "../download";
import type { OffboardedTenantJson, TenantJson } from "../types";
import { card } from "../widgets";

/** Every export page, following X-Next-Cursor until the server stops sending it. */
async function exportPages(tenantId: string, onPage: (pages: number) => void): Promise<string[]> {
  const pages: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
    const res = await apiFetch("GET", `/tenants/${tenantId}/export${query}`);
    pages.push(await res.text());
    cursor = res.headers.get("X-Next-Cursor");
    onPage(pages.length);
  } while (cursor);
  return pages;
}

/** Purge progress of a deleted tenant: "done" or what is left per table. */
export function purgeView(tenant: OffboardedTenantJson): HTMLElement {
  const remaining = Object.entries(tenant.purge?.remaining ?? {}).filter(([, n]) => n > 0);
  const text = tenant.purge?.done || (tenant.state === "deleted" && !remaining.length)
    ? "All of its data is purged."
    : `Purging: ${remaining.map(([table, n]) => `${n} ${table}`).join(", ") || "starting"} left.`;
  return h("div", { class: "secret", role: "status", "data-testid": "tenant-deleted" },
    h("strong", {}, `Tenant ${tenant.state ?? "deleting"} since ${when(tenant.deletedAt)}.`),
    h("p", { "data-testid": "purge-progress" }, text),
    h("p", { class: "muted" }, "Its clients and tokens no longer work; data already in the Device Hub is left as it is."));
}

export function lifecycleCard(tenant: TenantJson, onChange: () => void): HTMLElement {
  const msg = h("div", { "data-testid": "tenant-msg" });
  const name = h("input", { id: "rename", name: "name", required: true, value: tenant.name, maxlength: 200 });
  const rename = h("form", { class: "row", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      await api("PATCH", `/tenants/${tenant.id}`, { name: name.value.trim() });
      flash(msg, "Renamed.", "ok");
      onChange();
    } catch (err) { flash(msg, (err as Error).message); }
  } }, h("label", { for: "rename", class: "inline" }, "Name"), name, h("button", { type: "submit", class: "secondary" }, "Rename"));

  const exportDirectory = async (e: Event) => {
    const button = buttonOf(e);
    button.disabled = true;
    try {
      const pages = await exportPages(tenant.id, (n) => flash(msg, `Exporting… page ${n}`, "ok"));
      saveFile(`tenant-${tenant.id}.ndjson`, pages, "application/x-ndjson");
      flash(msg, `Exported ${pages.length} page(s).`, "ok");
    } catch (err) { flash(msg, `Export: ${(err as Error).message}`); }
    finally { button.disabled = false; }
  };
  const remove = async () => {
    if (!confirm(`Delete tenant "${tenant.name}"? Its clients and tokens stop working at once and its data is purged. This cannot be undone.`)) return;
    try {
      await api("DELETE", `/tenants/${tenant.id}`);
      onChange();
    } catch (err) { flash(msg, `Delete: ${(err as Error).message}`); }
  };
  return card("tenant-card", "Tenant", rename, h("div", { class: "row" },
    h("button", { type: "button", class: "secondary", onclick: exportDirectory }, "Export directory (NDJSON)"),
    h("button", { type: "button", class: "danger", onclick: remove }, "Delete tenant")), msg);
}
