// Read model for the provisioning status page: started/stopped, running/idle, the current cycle
// (kind, progress per phase, counts so far) or the last one, the next scheduled run, queue and
// parked counts, and what an operator can act on: a stuck cycle, foreign hub objects, deletions
// awaiting confirmation, userName checks that fell back to the mirror.
import type { Db } from "../../platform/d1/db";
import { liveConfirmation, type DeletionConfirmation } from "../storage/sync-deletion-confirm";
import { findHubSettings, findSyncState } from "../storage/sync-state";
import { queuedByKind, workCounts } from "../storage/sync-work";
import { parseCycle, phaseProgress, progressOf, type CycleCounts, type CycleKind, type CycleSummary, type PhaseProgress } from "../engine/cycle-state";
import { nextCronTick } from "../queue/schedule";
import { parseStuck, STUCK_RUNS } from "../engine/stuck";

export interface ProvisioningStatus {
  tenantId: string;
  configured: boolean;
  state: "started" | "stopped";
  /** running: an invocation holds the lease now; paused: a cycle resumes on a later run. */
  activity: "running" | "paused" | "idle";
  currentCycle: {
    id: string;
    kind: CycleKind;
    startedAt: string;
    invocations: number;
    progress: { done: number; total: number; phase: string; phases: PhaseProgress[] };
    counts: CycleCounts;
  } | null;
  lastCycle: (CycleSummary & { pending: number }) | null;
  /** The cron tick that will run the tenant next; null while stopped. */
  nextRunAt: string | null;
  hubBlockedUntil: string | null;
  lastSweepAt: string | null;
  sweepRequested: string | null;
  /** Why a run last stopped early; kept until a later cycle finishes. */
  lastError: string | null;
  /** A sync message for the tenant is on its way since then (null: none). */
  wakeQueuedAt: string | null;
  /**
   * fast: runs share invocations with other tenants; slow: the hub was timing out or erroring, so
   * the tenant runs alone (the slow-lane queue) until a run finishes; laneSince: when it entered it.
   */
  lane: "fast" | "slow";
  laneSince: string | null;
  /** Sync messages of this tenant that ended in the dead-letter queue. */
  deadLetters: { count: number; lastAt: string | null };
  queue: { queued: number; pending: number; parked: number };
  /**
   * Set when the cycle has not advanced for STUCK_RUNS runs; retryAt: a blocked sweep backs off
   * and retries on its own from then on ("Run now" and "full sweep" retry it at once).
   */
  stuck: { reason: string; since: string; runs: number; retryAt: string | null } | null;
  /** Hub objects the last sweep saw that this connector neither created nor adopted (left alone). */
  foreign: { users: number; groups: number };
  deletions: {
    state: "flowing" | "awaitingConfirmation";
    users: number;
    groups: number;
    threshold: { percent: number; minimum: number };
    /** The live confirmation (POST …/confirm-deletions): the deletions it still lets through, until expiresAt. */
    confirmed: DeletionConfirmation | null;
  };
  hubNameCheck: { fallbacks: number; lastFallbackAt: string | null };
}

export async function provisioningStatus(db: Db, tenantId: string, now: string): Promise<ProvisioningStatus> {
  const [settings, state, queue, byKind, confirmed] = await Promise.all([
    findHubSettings(db, tenantId), findSyncState(db, tenantId), workCounts(db, tenantId), queuedByKind(db, tenantId), liveConfirmation(db, tenantId, now),
  ]);
  const cycle = parseCycle(state?.cycle);
  const started = state?.started === true;
  const leased = !!state?.leaseUntil && state.leaseUntil > now;
  const dueAt = [state?.nextRunAt, state?.hubBlockedUntil, now].filter((x): x is string => !!x).sort().at(-1) ?? now;
  const stuck = parseStuck(state?.stuck);
  const held = state?.deletionsHeld ?? null;
  return {
    tenantId,
    configured: settings !== undefined,
    state: started ? "started" : "stopped",
    activity: leased ? "running" : cycle ? "paused" : "idle",
    currentCycle: cycle && {
      id: cycle.id,
      kind: cycle.kind,
      startedAt: cycle.startedAt,
      invocations: cycle.invocations,
      progress: {
        ...progressOf(cycle),
        phases: phaseProgress(cycle, { users: byKind.user ?? 0, groups: byKind.group ?? 0, members: (byKind.membership ?? 0) + (byKind.groupMembership ?? 0) }),
      },
      counts: cycle.counts,
    },
    lastCycle: state?.lastCycle ? { ...(state.lastCycle as unknown as CycleSummary), pending: queue.pending } : null,
    nextRunAt: started ? nextCronTick(dueAt) : null,
    hubBlockedUntil: state?.hubBlockedUntil && state.hubBlockedUntil > now ? state.hubBlockedUntil : null,
    lastSweepAt: state?.lastSweepAt ?? null,
    sweepRequested: state?.sweepRequested ?? null,
    lastError: state?.lastError ?? null,
    wakeQueuedAt: state?.wakeQueuedAt ?? null,
    lane: state?.lane ?? "fast",
    laneSince: state?.laneSince ?? null,
    deadLetters: { count: state?.deadLetters ?? 0, lastAt: state?.lastDeadLetterAt ?? null },
    queue,
    stuck: stuck && stuck.runs >= STUCK_RUNS ? { reason: stuck.reason, since: stuck.since, runs: stuck.runs, retryAt: stuck.retryAt ?? null } : null,
    foreign: { users: state?.foreignUsers ?? 0, groups: state?.foreignGroups ?? 0 },
    deletions: {
      state: held && held.users + held.groups > 0 ? "awaitingConfirmation" : "flowing",
      users: held?.users ?? 0,
      groups: held?.groups ?? 0,
      threshold: { percent: settings?.deleteThresholdPercent ?? 10, minimum: settings?.deleteThresholdMinimum ?? 20 },
      confirmed,
    },
    hubNameCheck: { fallbacks: state?.nameCheckFallbacks ?? 0, lastFallbackAt: state?.nameCheckFallbackAt ?? null },
  };
}
