// The provisioning card's drift part (GET/POST …/provisioning/drift, docs/device-hub.md "Drift
// report"): the last report — its state, progress, counts and the differences with their reason
// and repair — and a button that starts a new one (it runs in the background; the card's refresh
// shows its progress). Shared by the console and the portal.
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
        ["Why", (i) => i.reason], ["Repair", (i) => REPAIRS[i.repair] ?? i.repair],
      ], report.items, "prov-drift"),
      button,
    ];
  } catch (err) {
    return [h("p", { class: "error" }, `Drift report unavailable: ${(err as Error).message}`)];
  }
}
