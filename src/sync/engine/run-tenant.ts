// One tenant's bounded run: take its lease (the run's fencing token), resume or start its cycle
// from the checkpoint, run it within the invocation budget, release with the next run time. The
// cron (and a queue consumer) call runTenantCycle once per tenant.
import type { Bindings } from "../../config";
import type { Clock } from "../../platform/clock";
import { newId } from "../../platform/ids";
import type { Logger } from "../../platform/log";
import type { Db } from "../../platform/d1/db";
import { pruneLog } from "../storage/sync-log";
import { purgeStep } from "../storage/sync-purge";
import { findHubSettings, laneSet, leasedUpdate, nextRunAtOrEarliestItem, releaseLease, takeLease, type SyncStateRow } from "../storage/sync-state";
import { connectHub } from "../hub/connector";
import type { SyncLane } from "../queue/messages";
import { budgetLeft, CycleStop, type RunBudget, type StopReason } from "./context";
import { createSyncContext } from "./fenced-context";
import { finishAdoptions } from "../phases/finish-adoptions";
import { newCycle, parseCycle, summarize, type CycleKind, type CycleState } from "./cycle-state";
import { parseStuck, runWithStuckGuard } from "./stuck";
import { addMs, FULL_SWEEP_EVERY_MS, SYNC_INTERVAL_MS } from "../queue/schedule";

export interface TenantRunReport {
  tenantId: string;
  outcome: "finished" | "paused" | "busy" | "notConfigured" | "error";
  /** The tenant's lane after the run, when the run decided it (see laneAfter). */
  lane?: SyncLane;
  stop?: StopReason;
  cycleId?: string;
  kind?: CycleKind;
  error?: string;
}

function kindFor(state: SyncStateRow, now: string): CycleKind {
  if (state.sweepRequested === "initial" || state.sweepRequested === "fullSweep") return state.sweepRequested;
  if (!state.lastSweepAt) return "initial";
  return Date.parse(now) - Date.parse(state.lastSweepAt) >= FULL_SWEEP_EVERY_MS ? "fullSweep" : "incremental";
}

/** Where the next run goes and what the status page should say after a paused invocation. */
function afterPause(stop: CycleStop, now: string) {
  switch (stop.reason) {
    case "budget":
    case "fenced":
      // Not an error: lastError stays what it was until a later success clears it.
      return { nextRunAt: now };
    case "rateLimited": {
      const until = addMs(now, Math.max(1, stop.retryAfterSeconds ?? 1) * 1000);
      return { nextRunAt: until, hubBlockedUntil: until, lastError: `rate limited by the hub until ${until}` };
    }
    case "unauthorized":
    case "hubUnavailable":
    case "hubContract":
      return { nextRunAt: addMs(now, SYNC_INTERVAL_MS), lastError: stop.message };
  }
}

/**
 * A sick hub waits alone: a run the hub stopped by timing out or erroring puts the tenant in the
 * slow lane; a finished run (the hub answered) puts it back. Other stops leave the lane as it is.
 */
function laneAfter(outcome: "finished" | "paused", stop: CycleStop | null): SyncLane | undefined {
  if (outcome === "finished") return "fast";
  return stop?.reason === "hubUnavailable" ? "slow" : undefined;
}

/** Did the conditional release land (this run still held the lease)? */
const landed = (result: unknown) => ((result as { meta?: { changes?: number } }).meta?.changes ?? 0) > 0;

type Skip = Pick<TenantRunReport, "outcome" | "stop">;

/** A tenant the run did not sync: say so in the logs, so an operator can see why. */
function skipped(log: Logger, tenantId: string, why: Skip, reason: string): TenantRunReport {
  log.info("sync tenant skipped", { tenantId, reason });
  return { tenantId, ...why };
}

export async function runTenantCycle(env: Bindings, db: Db, budget: RunBudget, clock: Clock, tenantId: string, log: Logger): Promise<TenantRunReport> {
  // The lease id is the run's fencing token: every checkpoint batch is conditional on it.
  const leaseId = newId();
  const startedIso = clock().toISOString();
  const leaseMs = Math.max(0, budget.deadline - Date.now()) + 60_000;
  const state = await takeLease(db, tenantId, leaseId, startedIso, addMs(startedIso, leaseMs));
  if (!state) return skipped(log, tenantId, { outcome: "busy" }, "another run holds the lease, or provisioning is stopped");
  const now = () => clock().toISOString();
  const release = (set: Parameters<typeof releaseLease>[3]) => releaseLease(db, tenantId, leaseId, { ...set, updatedAt: now() });
  let cycle: CycleState | null = null;
  try {
    const settings = await findHubSettings(db, tenantId);
    if (!settings) {
      await release({ started: false, lastError: "no Device Hub settings" });
      return skipped(log, tenantId, { outcome: "notConfigured" }, "no Device Hub settings");
    }
    if (state.hubBlockedUntil && state.hubBlockedUntil > startedIso) {
      await release({ nextRunAt: state.hubBlockedUntil });
      return skipped(log, tenantId, { outcome: "paused", stop: "rateLimited" }, `rate limited by the hub until ${state.hubBlockedUntil}`);
    }
    const hub = await connectHub(env, settings, budget.counter, budget.deadline);
    cycle = parseCycle(state.cycle) ?? newCycle(kindFor(state, startedIso), newId(), startedIso);
    const isNew = state.cycle === null;
    cycle.invocations++;
    const d1Before = budget.counter.d1Calls;
    const hubBefore = budget.counter.hubCalls;
    const ctx = createSyncContext({ db, tenantId, leaseId, hub, budget, cycle, now, settings, state });
    if (isNew) await ctx.commit([leasedUpdate(db, tenantId, leaseId, { hubBlockedUntil: null, ...(cycle.kind !== "incremental" ? { sweepRequested: null } : {}) })]);
    await tenantHousekeeping(db, tenantId, budget, settings.logRetentionDays, startedIso);
    await finishAdoptions(ctx);
    const { outcome, stuck } = await runWithStuckGuard(ctx, parseStuck(state.stuck), log);
    cycle.counts.d1Calls += budget.counter.d1Calls - d1Before;
    cycle.counts.hubCalls += budget.counter.hubCalls - hubBefore;
    if (outcome === "finished") {
      const finished = now();
      const released = await release({
        ...laneSet("fast", finished),
        cycle: null,
        lastCycle: { ...summarize(cycle, finished) },
        // Work that backed off wakes the tenant when it falls due, not at the next periodic run.
        nextRunAt: nextRunAtOrEarliestItem(tenantId, finished, addMs(finished, SYNC_INTERVAL_MS)),
        lastError: null,
        stuck: null,
        ...(cycle.deletionsConfirmedUsed ? { deletionsConfirmed: false } : {}),
        ...(cycle.kind !== "incremental" ? { lastSweepAt: cycle.startedAt, foreignUsers: cycle.counts.foreignUsers, foreignGroups: cycle.counts.foreignGroups } : {}),
      });
      if (!landed(released)) throw new CycleStop("fenced", "lease lost before release");
    } else {
      const stop = ctx.halt ?? new CycleStop("budget", "paused");
      const lane = laneAfter("paused", stop);
      const released = await release({
        cycle: { ...cycle }, stuck, ...afterPause(stop, now()), ...(stuck && stuck.retryAt ? { nextRunAt: now() } : {}), ...(lane ? laneSet(lane, now()) : {}),
      });
      if (!landed(released)) throw new CycleStop("fenced", "lease lost before release");
      log.info("sync cycle paused", { tenantId, cycleId: cycle.id, kind: cycle.kind, phase: cycle.phase, stop: stop.reason, lane, counts: cycle.counts });
      return { tenantId, outcome: "paused", stop: stop.reason, cycleId: cycle.id, kind: cycle.kind, ...(lane ? { lane } : {}) };
    }
    log.info("sync cycle finished", { tenantId, cycleId: cycle.id, kind: cycle.kind, counts: cycle.counts });
    return { tenantId, outcome: "finished", cycleId: cycle.id, kind: cycle.kind, lane: "fast" };
  } catch (e) {
    if (e instanceof CycleStop && e.reason === "fenced") {
      // A newer run owns the tenant: this one writes nothing more (its writes would not land).
      log.warn("sync run fenced off", { tenantId, cycleId: cycle?.id });
      return { tenantId, outcome: "paused", stop: "fenced", cycleId: cycle?.id, kind: cycle?.kind };
    }
    const message = e instanceof Error ? e.message : String(e);
    log.error("sync cycle failed", { tenantId, cycleId: cycle?.id, error: message });
    await release({ ...(cycle ? { cycle: { ...cycle } } : {}), nextRunAt: addMs(now(), SYNC_INTERVAL_MS), lastError: message.slice(0, 500) }).catch(() => undefined);
    return { tenantId, outcome: "error", error: message, cycleId: cycle?.id };
  }
}

/** Purge a tenant's queued membership rows and prune its old log entries, within the budget. */
async function tenantHousekeeping(db: Db, tenantId: string, budget: RunBudget, retentionDays: number, now: string) {
  for (let i = 0; i < 20 && budgetLeft(budget); i++) {
    if (!(await purgeStep(db, tenantId)).more) break;
  }
  await pruneLog(db, tenantId, addMs(now, -retentionDays * 86_400_000), 1000);
}
