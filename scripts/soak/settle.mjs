// After the traffic and the faults stop: let the sync settle as an operator would — a full sweep
// per tenant, runs through the admin API (POST …/provisioning/run?wait=true), deletions the
// mass-delete guard holds confirmed — and wait for conditions, not for time: a tenant is settled
// when a full sweep that started after the faults stopped has finished and nothing is queued. A
// tenant whose state stops changing (backed-off or parked work) is given up on after `stallMs`
// (twice that while its sweep has not finished);
// the whole wait is bounded by `deadline`.
import { sleep } from "./api.mjs";

const POLL_MS = 2_000;

export async function settle(api, tenants, { deadline, stallMs, log }) {
  const since = new Date().toISOString();
  const progress = new Map();
  for (const t of tenants) {
    await api.admin("POST", `/tenants/${t.id}/provisioning/full-sweep`);
    progress.set(t, { outcome: "deadline", runs: 0, confirmations: 0, key: "", changedAt: Date.now() });
  }
  const open = () => tenants.filter((t) => !["settled", "stalled"].includes(progress.get(t).outcome));
  for (let round = 0; open().length && Date.now() < deadline && round < 2_000; round++) {
    for (const t of open()) {
      const p = progress.get(t);
      const status = (await api.admin("GET", `/tenants/${t.id}/provisioning`)).body;
      if (!status?.queue) continue;
      if (status.deletions.state === "awaitingConfirmation") {
        await api.admin("POST", `/tenants/${t.id}/provisioning/confirm-deletions`);
        p.confirmations++;
      }
      const swept = status.lastSweepAt !== null && status.lastSweepAt >= since && !status.sweepRequested;
      if (swept && !status.currentCycle && status.queue.queued === 0) {
        p.outcome = "settled";
        log(`tenant ${t.index}: settled after ${p.runs} runs`);
        continue;
      }
      // "No change" = the same queue counts, sweep and hub contents (runs that only retry and fail change nothing).
      const hub = (await api.hub(t.apiKey, "GET", "/state")).body;
      const key = JSON.stringify([status.queue, status.lastSweepAt, status.sweepRequested, hub]);
      if (key !== p.key) Object.assign(p, { key, changedAt: Date.now() });
      else if (Date.now() - p.changedAt > (swept ? stallMs : 2 * stallMs)) {
        p.outcome = "stalled";
        log(`tenant ${t.index}: no change for ${Math.round(stallMs / 1000)} s (${status.queue.queued} queued, ${status.queue.pending} pending, ${status.queue.parked} parked): stop waiting`);
        continue;
      }
      const run = await api.admin("POST", `/tenants/${t.id}/provisioning/run?wait=true`, undefined, { timeoutMs: 120_000 });
      if (run.status === 200) p.runs++;
    }
    await sleep(POLL_MS);
  }
  return progress;
}
