// The provisioning card: actions (start, stop, run now, full sweep, confirm deletions), the
// status, hub-held names to adopt, a chart of the last 24 hours, the log and parked tables and the
// drift report; refreshes every 2 s.
// The portal shows the same card with fewer actions and its own wording (ProvisioningView).
import { api } from "../api";
import { buttonOf, fill, flash, h, type Child } from "../dom";
import { startRefresh } from "../session";
import type { CycleHistory, ProvisioningStatus } from "../types";
import { card } from "../widgets";
import { historyChart } from "./provisioning-chart";
import { driftPart } from "./provisioning-drift";
import { statusView } from "./provisioning-status";
import { logTable, parkedTable, type TableWords } from "./provisioning-tables";
import { adoptSummary, hubHeldNamesPart } from "./hub-held-names";

/** What differs between the operator's card and the customer's: actions and wording. */
export interface ProvisioningView {
  title: string;
  actions: [verb: string, label: string, cls?: string][];
  /** Shown while the Device Hub is not configured. */
  notConfigured: string;
  /** Deletions awaiting confirmation: the operator gets a button, the customer a sentence. */
  confirm: "button" | string;
  words?: TableWords;
}

export const OPERATOR_VIEW: ProvisioningView = {
  title: "Provisioning to the Device Hub",
  actions: [["start", "Start"], ["stop", "Stop", "secondary"], ["run", "Run now"], ["full-sweep", "Full sweep", "secondary"]],
  notConfigured: "Configure the Device Hub below, then press Start.",
  confirm: "button",
};

const HOURS = 24;

// run and full-sweep answer 202 and work in the background: the 2 s refresh shows the outcome.
const DONE: Record<string, string> = {
  start: "Provisioning started.", stop: "Provisioning stopped.", run: "A run is queued; this card updates as it goes.",
  "full-sweep": "A full sweep is scheduled for the next run.", "confirm-deletions": "Deletions confirmed; the next run carries them out.",
};

async function historyPart(base: string): Promise<Child> {
  try {
    const { cycles } = await api<{ cycles: CycleHistory[] }>("GET", `${base}/history?hours=${HOURS}`);
    return historyChart(cycles, HOURS);
  } catch (err) {
    return h("p", { class: "error" }, `History unavailable: ${(err as Error).message}`);
  }
}

export async function provisioningCard(tenantId: string, view: ProvisioningView = OPERATOR_VIEW): Promise<HTMLElement> {
  const base = `/tenants/${tenantId}/provisioning`;
  const body = h("div");
  const msg = h("div");
  const act = (verb: string, label: string, cls = "") => h("button", { type: "button", class: cls, onclick: async (e: Event) => {
    const button = buttonOf(e);
    button.disabled = true;
    try {
      await api("POST", `${base}/${verb}`);
      flash(msg, DONE[verb] ?? "Done.", "ok");
      await load();
    } catch (err) { flash(msg, `${label}: ${(err as Error).message}`); }
    finally { button.disabled = false; }
  } }, label);
  const retry = (path: string) => async () => {
    try { await api("POST", base + path); await load(); } catch (err) { flash(msg, (err as Error).message); }
  };
  const adopt = (body: unknown) => async () => {
    try {
      flash(msg, adoptSummary(await api("POST", `${base}/hub-held-names/adopt`, body)), "ok");
      await load();
    } catch (err) { flash(msg, `Adopt: ${(err as Error).message}`); }
  };

  const startDrift = async () => {
    try {
      await api("POST", `${base}/drift`);
      flash(msg, "A drift check is running; this card shows its progress.", "ok");
      await load();
    } catch (err) { flash(msg, `Check for drift: ${(err as Error).message}`); }
  };

  async function load() {
    let status: ProvisioningStatus;
    try {
      status = await api<ProvisioningStatus>("GET", base);
    } catch (err) {
      body.replaceChildren(h("p", { class: "error" }, (err as Error).message));
      return;
    }
    const [history, log, parked, held, drift] = await Promise.all([
      historyPart(base), logTable(base, view.words), parkedTable(base, retry, view.words), hubHeldNamesPart(base, adopt), driftPart(base, startDrift),
    ]);
    const confirm = view.confirm;
    const confirmPart = () => (confirm === "button" ? act("confirm-deletions", "Confirm deletions", "danger") : h("p", {}, confirm));
    body.replaceChildren();
    fill(body, {}, [statusView(status, confirmPart, view.notConfigured), held, history, log, parked, drift]);
  }

  const section = card("prov", view.title, h("div", { class: "row" }, view.actions.map(([verb, label, cls]) => act(verb, label, cls))), msg, body);
  await load();
  startRefresh(load, () => section.isConnected);
  return section;
}
