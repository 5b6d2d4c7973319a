// The provisioning card's tables: recent hub operations (GET …/provisioning/logs) and parked
// operations with their retry buttons (GET …/provisioning/parked, POST …/retry).
import { api } from "../api";
import { h, when, type Child } from "../dom";
import type { LogEntry, ParkedItem } from "../types";
import { table } from "../widgets";

export async function logTable(base: string): Promise<Child[]> {
  try {
    const { entries } = await api<{ entries: LogEntry[] }>("GET", `${base}/logs?limit=50`);
    return [h("h3", {}, "Recent operations"), table<LogEntry>([
      ["Time", (e) => when(e.at)], ["Action", (e) => e.action + (e.count ? ` ×${e.count}` : "")],
      ["SCIM id", (e) => h("code", {}, e.scimId ?? "")], ["Result", (e) => e.result], ["Error", (e) => e.error ?? ""],
    ], entries, "prov-log", (e) => (e.result === "failed" || e.result === "parked" ? "failed" : ""))];
  } catch (err) {
    return [h("p", { class: "error" }, `Log unavailable: ${(err as Error).message}`)];
  }
}

/** `retry(path)` posts to base + path and reloads the card. */
export async function parkedTable(base: string, retry: (path: string) => () => Promise<void>): Promise<Child[]> {
  try {
    const { items } = await api<{ items: ParkedItem[] }>("GET", `${base}/parked?limit=50`);
    return [h("h3", {}, "Parked operations"), table<ParkedItem>([
      ["Resource", (p) => `${p.kind} ${p.resourceId}${p.memberId ? ` → ${p.memberId}` : ""}`],
      ["Attempts", (p) => p.attempts], ["Last error", (p) => p.lastError ?? ""], ["Updated", (p) => when(p.updatedAt)],
      ["", (p) => h("button", { type: "button", class: "secondary", onclick: retry(`/parked/${p.id}/retry`) }, "Retry")],
    ], items, "prov-parked", () => "failed"),
    items.length ? h("p", {}, h("button", { type: "button", class: "secondary", onclick: retry("/parked/retry") }, "Retry all")) : ""];
  } catch (err) {
    return [h("p", { class: "error" }, `Parked items unavailable: ${(err as Error).message}`)];
  }
}
