// The cycle model: kinds, ordered phases, counters, and the checkpoint stored in
// sync_state.cycle between invocations. Pure data and functions, no I/O.

export type CycleKind = "initial" | "incremental" | "fullSweep";

/** Sweep phases refresh the mirror from the hub and enqueue work; work phases call the hub. */
export type Phase =
  | "sweepStart" | "hubUsers" | "hubUsersStale" | "scimUsers" | "hubGroups" | "hubGroupsStale" | "scimGroups"
  | "hubMembers" | "membersAll" | "ingest" | "users" | "groups" | "members" | "done";

const SWEEP_PHASES: Phase[] = [
  "sweepStart", "hubUsers", "hubUsersStale", "scimUsers", "hubGroups", "hubGroupsStale", "scimGroups", "hubMembers", "membersAll",
];
// Users first, then groups, then memberships: a membership needs both ends in the hub.
const WORK_PHASES: Phase[] = ["ingest", "users", "groups", "members"];

export const isSweepPhase = (phase: Phase) => SWEEP_PHASES.includes(phase);

export const phasesOf = (kind: CycleKind): Phase[] => (kind === "incremental" ? WORK_PHASES : [...SWEEP_PHASES, ...WORK_PHASES]);

export interface CycleCounts {
  usersCreated: number;
  usersUpdated: number;
  usersDeactivated: number;
  usersDeleted: number;
  groupsCreated: number;
  groupsRenamed: number;
  groupsDeleted: number;
  membersAdded: number;
  membersRemoved: number;
  /** Operations that failed this cycle (will be retried, or were parked). */
  failed: number;
  parked: number;
  /** Hub objects a sweep saw that this connector neither created nor adopted (left alone). */
  foreignUsers: number;
  foreignGroups: number;
  hubCalls: number;
  d1Calls: number;
}

export const emptyCounts = (): CycleCounts => ({
  usersCreated: 0, usersUpdated: 0, usersDeactivated: 0, usersDeleted: 0, groupsCreated: 0, groupsRenamed: 0,
  groupsDeleted: 0, membersAdded: 0, membersRemoved: 0, failed: 0, parked: 0, foreignUsers: 0, foreignGroups: 0, hubCalls: 0, d1Calls: 0,
});

export interface CycleState {
  id: string;
  kind: CycleKind;
  startedAt: string;
  phase: Phase;
  /** Phase-specific resume position (hub page cursor, last SCIM id, …). */
  cursor: string | null;
  /** Marks mirror rows seen by this sweep; null for incremental cycles. */
  sweepId: string | null;
  invocations: number;
  counts: CycleCounts;
  /** Items (hub objects read, work items handled) per phase so far, for the progress bar. */
  processed?: Partial<Record<Phase, number>>;
  /**
   * hubMembers: the group whose member listing is being read page by page across steps and
   * invocations, and the hub cursor of its next page (saved with the page before it).
   */
  memberPage?: { groupId: string; hubId: string; page: string | null };
  /** hubMembers: groups fully listed whose stale mirror rows are not all removed yet. */
  memberStale?: string[];
  /** Deletions confirmed by the admin went out in this cycle: clear the confirmation at its end. */
  deletionsConfirmedUsed?: boolean;
}

export interface CycleSummary {
  id: string;
  kind: CycleKind;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  invocations: number;
  counts: CycleCounts;
}

export function newCycle(kind: CycleKind, id: string, now: string): CycleState {
  const first = phasesOf(kind)[0] ?? "done";
  return { id, kind, startedAt: now, phase: first, cursor: null, sweepId: kind === "incremental" ? null : id, invocations: 0, counts: emptyCounts() };
}

/** The phase after `phase` in this kind's order ("done" after the last). */
export function nextPhase(kind: CycleKind, phase: Phase): Phase {
  const phases = phasesOf(kind);
  const i = phases.indexOf(phase);
  return i < 0 || i + 1 >= phases.length ? "done" : (phases[i + 1] as Phase);
}

export function progressOf(cycle: CycleState): { done: number; total: number; phase: Phase } {
  const phases = phasesOf(cycle.kind);
  const i = phases.indexOf(cycle.phase);
  return { done: cycle.phase === "done" ? phases.length : Math.max(0, i), total: phases.length, phase: cycle.phase };
}

/** Count items a step of the current phase handled. */
export function tally(cycle: CycleState, items: number): void {
  const processed = (cycle.processed ??= {});
  processed[cycle.phase] = (processed[cycle.phase] ?? 0) + items;
}

export interface PhaseProgress {
  phase: string;
  done: number;
  total: number;
}

/**
 * done/total items per phase: a finished phase is total = done; the running and later work
 * phases add what is still queued for them (`queued` by phase); sweep reads know no total ahead.
 */
export function phaseProgress(cycle: CycleState, queued: Partial<Record<Phase, number>>): PhaseProgress[] {
  const phases = phasesOf(cycle.kind);
  const current = cycle.phase === "done" ? phases.length : phases.indexOf(cycle.phase);
  return phases.map((phase, i) => {
    const done = cycle.processed?.[phase] ?? 0;
    return { phase, done, total: i < current ? done : done + (queued[phase] ?? 0) };
  });
}

export function summarize(cycle: CycleState, finishedAt: string): CycleSummary {
  return {
    id: cycle.id,
    kind: cycle.kind,
    startedAt: cycle.startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(cycle.startedAt)),
    invocations: cycle.invocations,
    counts: cycle.counts,
  };
}

/** Checkpoints come back from JSON: accept only what this code wrote. */
export function parseCycle(value: unknown): CycleState | null {
  if (!value || typeof value !== "object") return null;
  const c = value as Partial<CycleState>;
  if (typeof c.id !== "string" || typeof c.kind !== "string" || typeof c.phase !== "string") return null;
  return { ...newCycle(c.kind, c.id, c.startedAt ?? new Date(0).toISOString()), ...c, counts: { ...emptyCounts(), ...c.counts } } as CycleState;
}
