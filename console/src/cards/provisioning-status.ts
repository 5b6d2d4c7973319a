// The facts part of the provisioning card (GET …/provisioning): state, queue, the running cycle
// with a progress bar (per phase when the API gives phases), the last cycle, and health notices
// (stuck, deletions awaiting confirmation, foreign hub objects, hub name check fallbacks).
import { h, when, type Child } from "../dom";
import type { CycleCounts, Deletions, ProvisioningStatus } from "../types";

const COUNT_LABELS: Record<string, string> = {
  usersCreated: "users created", usersUpdated: "users updated", usersDeactivated: "users deactivated", usersDeleted: "users deleted",
  groupsCreated: "groups created", groupsRenamed: "groups renamed", groupsDeleted: "groups deleted", membersAdded: "members added",
  membersRemoved: "members removed", failed: "failed", parked: "parked", hubCalls: "hub calls",
};

/** Non-zero counters as "2 users created, 1 failed"; "no changes" otherwise. */
export function countsText(counts: Partial<CycleCounts> | undefined): string {
  const parts = Object.entries(counts ?? {}).filter(([k, v]) => v && COUNT_LABELS[k]).map(([k, v]) => `${v} ${COUNT_LABELS[k]}`);
  return parts.length ? parts.join(", ") : "no changes";
}

const facts = (rows: [string, Child][]) => h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));

function factRows(s: ProvisioningStatus): [string, Child][] {
  const rows: [string, Child][] = [
    ["State", h("strong", { "data-testid": "prov-state" }, s.state + (s.state === "started" ? ` · ${s.activity}` : ""))],
    ["Next run", s.nextRunAt ? when(s.nextRunAt) : "—"],
    ["Queue", `${s.queue.queued} queued, ${s.queue.pending} waiting, ${s.queue.parked} parked`],
    ["Last full sweep", when(s.lastSweepAt)],
  ];
  if (s.sweepRequested) rows.push(["Sweep requested", s.sweepRequested]);
  if (s.hubBlockedUntil) rows.push(["Hub rate limit until", when(s.hubBlockedUntil)]);
  if (s.lane === "slow") {
    rows.push(["Lane", h("span", { "data-testid": "prov-lane" }, `slow since ${when(s.laneSince)}: the hub was timing out or erroring, so this tenant runs alone until its hub answers again`)]);
  }
  if (s.foreign) rows.push(["Foreign hub objects", h("span", { "data-testid": "prov-foreign" }, `${s.foreign.users} users, ${s.foreign.groups} groups (left alone)`)]);
  if (s.hubNameCheck) {
    const last = s.hubNameCheck.lastFallbackAt ? ` (last ${when(s.hubNameCheck.lastFallbackAt)})` : "";
    rows.push(["Hub name check", h("span", { "data-testid": "prov-name-check" }, `${s.hubNameCheck.fallbacks} fallback(s) to the mirror${last}`)]);
  }
  if (s.deletions?.state === "flowing") rows.push(["Deletions", h("span", { "data-testid": "prov-deletions" }, `flowing${thresholdText(s.deletions)}`)]);
  const confirmed = s.deletions?.confirmed;
  if (confirmed) {
    rows.push(["Confirmed deletions", h("span", { "data-testid": "prov-deletions-confirmed" },
      `${confirmed.users} users and ${confirmed.groups} groups may go out until ${new Date(confirmed.expiresAt).toLocaleString()}`)]);
  }
  return rows;
}

const thresholdText = (d: Deletions) => (d.threshold ? ` (guard: more than ${d.threshold.percent} % and at least ${d.threshold.minimum})` : "");

/** Notices that need the admin: a stuck cycle, deletions waiting for confirmation, the last error. */
function notices(s: ProvisioningStatus, confirmButton: () => HTMLElement): Child[] {
  const out: Child[] = [];
  if (s.stuck) {
    out.push(h("p", { class: "error", role: "alert", "data-testid": "prov-stuck" },
      `Stuck since ${when(s.stuck.since)} (${s.stuck.runs} runs without progress): ${s.stuck.reason}` +
        (s.stuck.retryAt ? `. The sweep retries on its own ${when(s.stuck.retryAt)}; Run now retries it at once.` : "")));
  }
  if (s.deletions?.state === "awaitingConfirmation") {
    out.push(h("div", { class: "secret", role: "alert", "data-testid": "prov-deletions" },
      h("p", {}, `Deletions wait for confirmation: ${s.deletions.users} users and ${s.deletions.groups} groups would be deleted or deactivated${thresholdText(s.deletions)}.`),
      confirmButton()));
  }
  if (s.lastError) out.push(h("p", { class: "error", "data-testid": "prov-error" }, `Last error: ${s.lastError}`));
  return out;
}

function currentCycle(s: ProvisioningStatus): HTMLElement {
  const c = s.currentCycle;
  if (!c) return h("p", { class: "muted", "data-testid": "prov-current" }, "None running.");
  const p = c.progress;
  const phases = (p.phases ?? []).map((ph) => h("div", { class: "phase", "data-phase": ph.phase },
    h("span", {}, `${ph.phase} ${ph.done}/${ph.total}`), h("progress", { max: ph.total || 1, value: ph.done, "aria-label": `Phase ${ph.phase}` })));
  return h("div", { "data-testid": "prov-current" },
    h("progress", { max: p.total || 1, value: p.done, "aria-label": "Cycle progress", "data-testid": "prov-progress" }),
    h("p", {}, `${c.kind} · phase ${p.phase} (${p.done}/${p.total}) · started ${when(c.startedAt)} · ${c.invocations} invocation(s) · ${countsText(c.counts)}`),
    phases.length ? h("div", { class: "phases", "data-testid": "prov-phases" }, phases) : "");
}

function lastCycle(s: ProvisioningStatus): HTMLElement {
  const l = s.lastCycle;
  if (!l) return h("p", { class: "muted", "data-testid": "prov-last" }, "No cycle has finished yet.");
  return h("p", { "data-testid": "prov-last", "data-cycle-id": l.id, "data-finished-at": l.finishedAt },
    `${l.kind} · finished ${when(l.finishedAt)} in ${(l.durationMs / 1000).toFixed(1)} s · ${countsText(l.counts)}` +
    (l.pending ? ` · ${l.pending} waiting for their group` : ""));
}

export function statusView(s: ProvisioningStatus, confirmButton: () => HTMLElement, notConfigured: string): Child[] {
  return [
    facts(factRows(s)),
    s.configured ? "" : h("p", { class: "muted" }, notConfigured),
    ...notices(s, confirmButton),
    h("h3", {}, "Current cycle"), currentCycle(s),
    h("h3", {}, "Last cycle"), lastCycle(s),
  ];
}
