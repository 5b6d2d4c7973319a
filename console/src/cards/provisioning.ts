// The provisioning card: actions (start, stop, run now, full sweep, confirm deletions), the
// status, a chart of the last 24 hours and the log and parked tables; refreshes every 2 s.
import { api } from "../api";
import { buttonOf, fill, flash, h, type Child } from "../dom";
import { startRefresh } from "../session";
import type { CycleHistory, ProvisioningStatus } from "../types";
import { card } from "../widgets";
import { historyChart } from "./provisioning-chart";
import { statusView } from "./provisioning-status";
import { logTable, parkedTable } from "./provisioning-tables";

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

export async function provisioningCard(tenantId: string): Promise<HTMLElement> {
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

  async function load() {
    let status: ProvisioningStatus;
    try {
      status = await api<ProvisioningStatus>("GET", base);
    } catch (err) {
      body.replaceChildren(h("p", { class: "error" }, (err as Error).message));
      return;
    }
    const [history, log, parked] = await Promise.all([historyPart(base), logTable(base), parkedTable(base, retry)]);
    body.replaceChildren();
    fill(body, {}, [statusView(status, () => act("confirm-deletions", "Confirm deletions", "danger")), history, log, parked]);
  }

  const section = card("prov", "Provisioning to the Device Hub",
    h("div", { class: "row" }, act("start", "Start"), act("stop", "Stop", "secondary"), act("run", "Run now"), act("full-sweep", "Full sweep", "secondary")),
    msg, body);
  await load();
  startRefresh(load, () => section.isConnected);
  return section;
}
