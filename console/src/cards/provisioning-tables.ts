// The provisioning card's tables: recent hub operations (GET …/provisioning/logs) and parked
// operations with their retry buttons (GET …/provisioning/parked, POST …/retry). The columns are
// the operator's by default; the portal passes its own, in plain words (TableWords).
import { api } from "../api";
import { h, when, type Child } from "../dom";
import { nameAndId } from "../names";
import type { LogEntry, ParkedItem } from "../types";
import { table, type Column } from "../widgets";

export interface TableWords {
  logTitle: string;
  log: Column<LogEntry>[];
  parkedTitle: string;
  /** The parked columns; a Retry button column is added after them. */
  parked: Column<ParkedItem>[];
}

const OPERATOR_WORDS: TableWords = {
  logTitle: "Recent operations",
  log: [
    ["Time", (e) => when(e.at)], ["Action", (e) => e.action + (e.count ? ` ×${e.count}` : "")],
    ["User or group", (e) => nameAndId(e.name, e.scimId)], ["Result", (e) => e.result], ["Error", (e) => e.error ?? ""],
  ],
  parkedTitle: "Parked operations",
  parked: [
    ["Resource", (p) => h("span", {}, `${p.kind} `, nameAndId(p.name, p.resourceId), p.memberId ? [" → ", nameAndId(p.memberName, p.memberId)] : "")],
    ["Attempts", (p) => p.attempts], ["Last error", (p) => p.lastError ?? ""], ["Updated", (p) => when(p.updatedAt)],
  ],
};

export async function logTable(base: string, words = OPERATOR_WORDS): Promise<Child[]> {
  try {
    const { entries } = await api<{ entries: LogEntry[] }>("GET", `${base}/logs?limit=50`);
    return [h("h3", {}, words.logTitle),
      table<LogEntry>(words.log, entries, "prov-log", (e) => (e.result === "failed" || e.result === "parked" ? "failed" : ""))];
  } catch (err) {
    return [h("p", { class: "error" }, `Log unavailable: ${(err as Error).message}`)];
  }
}

/** `retry(path)` posts to base + path and reloads the card. */
export async function parkedTable(base: string, retry: (path: string) => () => Promise<void>, words = OPERATOR_WORDS): Promise<Child[]> {
  try {
    const { items } = await api<{ items: ParkedItem[] }>("GET", `${base}/parked?limit=50`);
    return [h("h3", {}, words.parkedTitle), table<ParkedItem>([...words.parked,
      ["", (p) => h("button", { type: "button", class: "secondary", onclick: retry(`/parked/${p.id}/retry`) }, "Retry")],
    ], items, "prov-parked", () => "failed"),
    items.length ? h("p", {}, h("button", { type: "button", class: "secondary", onclick: retry("/parked/retry") }, "Retry all")) : ""];
  } catch (err) {
    return [h("p", { class: "error" }, `Parked items unavailable: ${(err as Error).message}`)];
  }
}
