// One tenant's bounded run: take its lease (the run's fencing token), resume or start its cycle
// from the checkpoint, run it within the invocation budget, release with the next run time. The
// cron (and a queue consumer) call runTenantCycle once per tenant.
import type { Bindings } from "../config";
import type { Clock } from "../lib/clock";
import { newId } from "../lib/ids";
import type { Logger } from "../lib/log";
import type { Db } from "../storage/db";
import { pruneLog } from "../storage/sync-log";
import { purgeStep } from "../storage/sync-purge";
import { findHubSettings, leasedUpdate, releaseLease, takeLease, type SyncStateRow } from "../storage/sync-state";
import { connectHub } from "./connector";
import { budgetLeft, CycleStop, type RunBudget, type StopReason, type SyncContext } from "./context";
import { runCycle } from "./cycle";
import { newCycle, parseCycle, summarize, type CycleKind, type CycleState } from "./cycle-state";
import { addMs, FULL_SWEEP_EVERY_MS, SYNC_INTERVAL_MS } from "./schedule";

export interface TenantRunReport {
  tenantId: string;
  outcome: "finished" | "paused" | "busy" | "notConfigured" | "error";
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
      return { nextRunAt: now, lastError: null };
    case "rateLimited": {
      const until = addMs(now, Math.max(1, stop.retryAfterSeconds ?? 1) * 1000);
      return { nextRunAt: until, hubBlockedUntil: until, lastError: `rate limited by the hub until ${until}` };
    }
    case "unauthorized":
    case "hubUnavailable":
      return { nextRunAt: addMs(now, SYNC_INTERVAL_MS), lastError: stop.message };
  }
}

export async function runTenantCycle(env: Bindings, db: Db, budget: RunBudget, clock: Clock, tenantId: string, log: Logger): Promise<TenantRunReport> {
  const leaseId = newId();
  const startedIso = clock().toISOString();
  const leaseMs = Math.max(0, budget.deadline - Date.now()) + 60_000;
  const state = await takeLease(db, tenantId, leaseId, startedIso, addMs(startedIso, leaseMs));
  if (!state) return { tenantId, outcome: "busy" };
  const now = () => clock().toISOString();
  const release = (set: Parameters<typeof releaseLease>[3]) => releaseLease(db, tenantId, leaseId, { ...set, updatedAt: now() });
  let cycle: CycleState | null = null;
  try {
    const settings = await findHubSettings(db, tenantId);
    if (!settings) {
      await release({ started: false, lastError: "no Device Hub settings" });
      return { tenantId, outcome: "notConfigured" };
    }
    if (state.hubBlockedUntil && state.hubBlockedUntil > startedIso) {
      await release({ nextRunAt: state.hubBlockedUntil });
      return { tenantId, outcome: "paused", stop: "rateLimited" };
    }
    const hub = await connectHub(env, settings, budget.counter);
    cycle = parseCycle(state.cycle) ?? newCycle(kindFor(state, startedIso), newId(), startedIso);
    const isNew = state.cycle === null;
    cycle.invocations++;
    const d1Before = budget.counter.d1Calls;
    const hubBefore = budget.counter.hubCalls;
    const ctx: SyncContext = {
      db, tenantId, leaseId, hub, budget, cycle, now, halt: null,
      commit: (statements) => {
        const checkpoint = leasedUpdate(db, tenantId, leaseId, { cycle: { ...ctx.cycle }, updatedAt: now() });
        return db.batch([...statements, checkpoint] as unknown as Parameters<typeof db.batch>[0]) as unknown as Promise<unknown[]>;
      },
    };
    if (isNew) await leasedUpdate(db, tenantId, leaseId, { cycle: { ...cycle }, hubBlockedUntil: null, ...(cycle.kind !== "incremental" ? { sweepRequested: null } : {}) });
    await tenantHousekeeping(db, tenantId, budget, settings.logRetentionDays, startedIso);
    const outcome = await runCycle(ctx);
    cycle.counts.d1Calls += budget.counter.d1Calls - d1Before;
    cycle.counts.hubCalls += budget.counter.hubCalls - hubBefore;
    if (outcome === "finished") {
      const finished = now();
      await release({
        cycle: null,
        lastCycle: { ...summarize(cycle, finished) },
        nextRunAt: addMs(finished, SYNC_INTERVAL_MS),
        lastError: null,
        ...(cycle.kind !== "incremental" ? { lastSweepAt: cycle.startedAt } : {}),
      });
    } else {
      const stop = ctx.halt ?? new CycleStop("budget", "paused");
      await release({ cycle: { ...cycle }, ...afterPause(stop, now()) });
      log.info("sync cycle paused", { tenantId, cycleId: cycle.id, kind: cycle.kind, phase: cycle.phase, stop: stop.reason, counts: cycle.counts });
      return { tenantId, outcome: "paused", stop: stop.reason, cycleId: cycle.id, kind: cycle.kind };
    }
    log.info("sync cycle finished", { tenantId, cycleId: cycle.id, kind: cycle.kind, counts: cycle.counts });
    return { tenantId, outcome: "finished", cycleId: cycle.id, kind: cycle.kind };
  } catch (e) {
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
