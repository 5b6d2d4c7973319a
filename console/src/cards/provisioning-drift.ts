// The provisioning card's drift part (GET/POST …/provisioning/drift, docs/device-hub.md "Drift
// report"): the last report — its state, progress, counts and the differences with their reason
// and repair — and a button that starts a new one (it runs in the background; the card's refresh
// shows its progress). Shared by the console and the portal. A membership difference also names
// who is missing from the hub group and who is extra (the report lists up to 20 each way, with totals).
import { api } from "../api";
import { h, when, type Child } from "../dom";
import type { DriftItem, DriftReport } from "../types";
import { table } from "../widgets";

/** What each repair asks of the admin, in words. */
const REPAIRS: Record<string, string> = {
  run: "Run now",
  "full-sweep": "Full sweep",
  "retry-parked": "Retry the parked item",
  "confirm-deletions": "Confirm deletions",
  adopt: "Adopt the hub account (policy adopt), or free the name in the hub",
  none: "Nothing: left alone by design",
};

type Members = NonNullable<DriftItem["members"]>;

/** "a@x, b@x and 3 more": the listed members' userNames (hub id when unknown), then the rest as a count. */
function names(listed: Members["missing"], total: number): string {
  const shown = listed.map((m) => m.userName ?? m.hubId ?? m.scimId ?? "?").join(", ");
  const more = total - listed.length;
  if (!shown) return `${total} (not listed)`;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

/** The reason, and for a membership difference who is missing from / extra in the hub group. */
function why(i: DriftItem): Child {
  const m = i.members;
  if (!m || (m.missingTotal === 0 && m.extraTotal === 0)) return i.reason;
  return [
    i.reason,
    m.missingTotal > 0 && h("div", { class: "muted", "data-testid": "drift-missing" }, `Missing from the hub group: ${names(m.missing, m.missingTotal)}`),
    m.extraTotal > 0 && h("div", { class: "muted", "data-testid": "drift-extra" }, `Extra in the hub group: ${names(m.extra, m.extraTotal)}`),
  ];
}

function summary(r: DriftReport): string {
  if (r.state === "running") {
    const seen = Object.values(r.progress ?? {}).reduce((n, v) => n + (v ?? 0), 0);
    return `Checking (${r.phase}, ${seen} objects examined so far, ${r.differences} differences)…`;
  }
  if (r.state === "failed") return `The last check failed ${when(r.finishedAt)}: ${r.error ?? "unknown error"}`;
  const shown = r.truncated ? ` (the first ${r.items.length} listed)` : "";
  return r.differences === 0 ? `No differences (checked ${when(r.finishedAt)}).` : `${r.differences} differences${shown}, checked ${when(r.finishedAt)}.`;
}

/** `start()` posts a new report and reloads the card. */
export async function driftPart(base: string, start: () => Promise<void>): Promise<Child[]> {
  const button = h("button", { type: "button", class: "secondary", "data-testid": "drift-start", onclick: start }, "Check for drift");
  try {
    const { report } = await api<{ report: DriftReport | null }>("GET", `${base}/drift`);
    if (!report) return [h("h3", {}, "Drift between SCIM and the hub"), h("p", { class: "muted", "data-testid": "drift-summary" }, "Not checked yet."), button];
    return [
      h("h3", {}, "Drift between SCIM and the hub"),
      h("p", { "data-testid": "drift-summary" }, summary(report)),
      table<DriftItem>([
        ["Difference", (i) => i.kind], ["Resource", (i) => i.resourceType], ["Name", (i) => i.name ?? i.scimId ?? i.hubId ?? ""],
        ["Why", why], ["Repair", (i) => REPAIRS[i.repair] ?? i.repair],
      ], report.items, "prov-drift"),
      button,
    ];
  } catch (err) {
    return [h("p", { class: "error" }, `Drift report unavailable: ${(err as Error).message}`)];
  }
}
