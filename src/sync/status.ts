// Read model for the provisioning status page: started/stopped, running/idle, the current cycle
// (kind, progress, counts so far) or the last one, the next scheduled run, queue and parked counts.
import type { Db } from "../storage/db";
import { findHubSettings, findSyncState } from "../storage/sync-state";
import { workCounts } from "../storage/sync-work";
import { parseCycle, progressOf, type CycleCounts, type CycleKind, type CycleSummary } from "./cycle-state";
import { nextCronTick } from "./schedule";

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
    progress: { done: number; total: number; phase: string };
    counts: CycleCounts;
  } | null;
  lastCycle: (CycleSummary & { pending: number }) | null;
  /** The cron tick that will run the tenant next; null while stopped. */
  nextRunAt: string | null;
  hubBlockedUntil: string | null;
  lastSweepAt: string | null;
  sweepRequested: string | null;
  lastError: string | null;
  /** A sync message for the tenant is on its way since then (null: none). */
  wakeQueuedAt: string | null;
  /** Sync messages of this tenant that ended in the dead-letter queue. */
  deadLetters: { count: number; lastAt: string | null };
  queue: { queued: number; pending: number; parked: number };
}

export async function provisioningStatus(db: Db, tenantId: string, now: string): Promise<ProvisioningStatus> {
  const [settings, state, queue] = await Promise.all([findHubSettings(db, tenantId), findSyncState(db, tenantId), workCounts(db, tenantId)]);
  const cycle = parseCycle(state?.cycle);
  const started = state?.started === true;
  const leased = !!state?.leaseUntil && state.leaseUntil > now;
  const dueAt = [state?.nextRunAt, state?.hubBlockedUntil, now].filter((x): x is string => !!x).sort().at(-1) ?? now;
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
      progress: progressOf(cycle),
      counts: cycle.counts,
    },
    lastCycle: state?.lastCycle ? { ...(state.lastCycle as unknown as CycleSummary), pending: queue.pending } : null,
    nextRunAt: started ? nextCronTick(dueAt) : null,
    hubBlockedUntil: state?.hubBlockedUntil && state.hubBlockedUntil > now ? state.hubBlockedUntil : null,
    lastSweepAt: state?.lastSweepAt ?? null,
    sweepRequested: state?.sweepRequested ?? null,
    lastError: state?.lastError ?? null,
    wakeQueuedAt: state?.wakeQueuedAt ?? null,
    deadLetters: { count: state?.deadLetters ?? 0, lastAt: state?.lastDeadLetterAt ?? null },
    queue,
  };
}
