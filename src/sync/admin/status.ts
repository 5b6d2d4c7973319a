// Read model for the provisioning status page: started/stopped, running/idle, the current cycle
// (kind, progress per phase, counts so far) or the last one, the next scheduled run, queue and
// parked counts, and what an operator can act on: a stuck cycle, foreign hub objects, deletions
// awaiting confirmation, userName checks that fell back to the mirror.
import type { Db } from "../../platform/d1/db";
import { liveConfirmation } from "../storage/sync-deletion-confirm";
import type { ProvisioningStatus } from "./responses";

export type { ProvisioningStatus };
import { findHubSettings, findSyncState } from "../storage/sync-state";
import { queuedByKind, workCounts } from "../storage/sync-work";
import { parseCycle, phaseProgress, progressOf, type CycleCounts, type CycleKind, type CycleSummary } from "../engine/cycle-state";
import { nextCronTick } from "../queue/schedule";
import { parseStuck, STUCK_RUNS } from "../engine/stuck";

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
