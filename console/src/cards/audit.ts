// The audit log card: admin and SCIM writes of this tenant, newest first as the API returns
// them, narrowed by an optional time window (since/until query parameters).
import { api, ApiError } from "../api";
import { h, when } from "../dom";
import { nameAndId } from "../names";
import type { AuditEntryJson } from "../types";
import { card, table } from "../widgets";

const SHOWN = 50;

/** A datetime-local value (local time) as an ISO instant; "" when empty or invalid. */
const isoOf = (local: string): string => {
  const t = local ? new Date(local).getTime() : NaN;
  return Number.isNaN(t) ? "" : new Date(t).toISOString();
};

function auditQuery(since: string, until: string): string {
  const q = new URLSearchParams({ count: String(SHOWN) });
  if (isoOf(since)) q.set("since", isoOf(since));
  if (isoOf(until)) q.set("until", isoOf(until));
  return q.toString();
}

export async function auditCard(tenantId: string): Promise<HTMLElement> {
  const list = h("div");
  const since = h("input", { id: "audit-since", name: "since", type: "datetime-local" });
  const until = h("input", { id: "audit-until", name: "until", type: "datetime-local" });
  async function load() {
    try {
      const { entries } = await api<{ entries: AuditEntryJson[] }>("GET", `/tenants/${tenantId}/audit?${auditQuery(since.value, until.value)}`);
      list.replaceChildren(table<AuditEntryJson>([
        ["Time", (e) => when(e.at)], ["Client", (e) => e.clientId || "admin"], ["Request", (e) => h("code", {}, `${e.method} ${e.path}`)],
        ["Name", (e) => (e.resourceName ? nameAndId(e.resourceName, e.resourceId) : "")],
        ["Status", (e) => e.status], ["Rewrites", (e) => (e.rewrites ?? []).join(", ")],
      ], entries.slice(0, SHOWN), "audit", (e) => (e.status >= 400 ? "failed" : "")));
    } catch (err) {
      const missing = err instanceof ApiError && err.status === 404;
      list.replaceChildren(h("p", { class: missing ? "muted" : "error" }, missing ? "No audit log on this deployment yet." : `Audit log unavailable: ${(err as Error).message}`));
    }
  }
  const filter = h("form", { class: "row", "aria-label": "Audit time window", onsubmit: (e: Event) => { e.preventDefault(); void load(); } },
    h("label", { for: "audit-since", class: "inline" }, "From"), since,
    h("label", { for: "audit-until", class: "inline" }, "To"), until,
    h("button", { type: "submit", class: "secondary" }, "Filter"));
  await load();
  return card("audit", "Audit log (newest first)", filter, list);
}
