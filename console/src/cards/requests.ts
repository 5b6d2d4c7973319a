// The request log card (GET …/requests): the SCIM requests the identity provider made, newest
// first, with the user's userName or group's displayName beside the SCIM id, the status, and for
// every failure one sentence in plain words; filters (failures only, one user or group), paging,
// and the last hour's failure rate beside Entra's quarantine rule. Shared by the console's tenant
// page and the portal.
import { api } from "../api";
import { h, when } from "../dom";
import { nameAndId } from "../names";
import { card, table } from "../widgets";

export interface RequestEntry {
  at: string;
  requestId: string;
  method: string;
  resourceType: string | null;
  resourceId: string | null;
  name: string | null;
  status: number;
  reason: string | null;
}

interface RequestPage {
  entries: RequestEntry[];
  nextCursor: string | null;
  lastHour: { requests: number; failures: number; failureRate: number; quarantineThreshold: number; overThreshold: boolean };
}

const PAGE = 25;
const pct = (x: number) => `${Math.round(x * 100)} %`;

const who = (e: RequestEntry) => nameAndId(e.name, e.resourceId);

function rate(p: RequestPage): HTMLElement {
  const { requests, failures, failureRate, quarantineThreshold, overThreshold } = p.lastHour;
  const text = requests
    ? `Last hour: ${failures} of ${requests} requests failed (${pct(failureRate)}). Entra quarantines a job when more than ${pct(quarantineThreshold)} of its requests fail.`
    : `No requests in the last hour. Entra quarantines a job when more than ${pct(quarantineThreshold)} of its requests fail.`;
  return h("p", { class: overThreshold ? "warning" : "muted", role: overThreshold ? "alert" : "status", "data-testid": "requests-rate" }, text);
}

export async function requestsCard(tenantId: string, title = "Requests from Entra"): Promise<HTMLElement> {
  const failures = h("input", { id: "requests-failures", name: "failures", type: "checkbox" });
  const resource = h("input", { id: "requests-resource", name: "resource", type: "search", placeholder: "userName, group name or SCIM id" });
  const summary = h("div");
  const list = h("div");
  const pager = h("p", {});
  const cursors: (string | null)[] = [null]; // the cursor of each page shown so far
  async function load(page: number) {
    const q = new URLSearchParams({ count: String(PAGE) });
    if (failures.checked) q.set("failures", "true");
    if (resource.value.trim()) q.set("resource", resource.value.trim());
    const cursor = cursors[page];
    if (cursor) q.set("cursor", cursor);
    try {
      const p = await api<RequestPage>("GET", `/tenants/${tenantId}/requests?${q}`);
      cursors[page + 1] = p.nextCursor;
      summary.replaceChildren(rate(p));
      list.replaceChildren(table<RequestEntry>([
        ["Time", (e) => when(e.at)], ["Request", (e) => `${e.method} ${e.resourceType ?? ""}`], ["User or group", who],
        ["Status", (e) => String(e.status)], ["What it means", (e) => e.reason ?? "done"],
      ], p.entries, "requests", (e) => (e.status >= 400 ? "failed" : "")));
      pager.replaceChildren(
        page > 0 ? h("button", { type: "button", class: "secondary", onclick: () => void load(page - 1) }, "Newer") : "",
        p.nextCursor ? h("button", { type: "button", class: "secondary", onclick: () => void load(page + 1) }, "Older") : "");
    } catch (err) {
      list.replaceChildren(h("p", { class: "error" }, `Request log unavailable: ${(err as Error).message}`));
    }
  }
  const filter = h("form", { class: "row", "aria-label": "Filter requests", onsubmit: (e: Event) => { e.preventDefault(); cursors.length = 1; void load(0); } },
    h("label", { class: "inline", for: "requests-failures" }, failures, " Failures only"),
    h("label", { for: "requests-resource", class: "inline" }, "User or group"), resource,
    h("button", { type: "submit", class: "secondary" }, "Show"));
  await load(0);
  return card("requests", title, summary, filter, list, pager);
}
