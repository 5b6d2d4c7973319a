// No tenant stuck for ever: a cycle that does not advance is counted run by run and reported
// (status `stuck`, a log line). A sweep blocked on one hub read (a group's member list answering
// 5xx, a contract error) does not block incremental sync: the run carries on with an incremental
// side run against the work queue, and after STUCK_RUNS runs the sweep itself backs off.
import type { Logger } from "../../platform/log";
import { budgetLeft, CycleStop, type SyncContext } from "./context";
import { runCycle } from "./cycle";
import { emptyCounts, isSweepPhase, newCycle, type CycleCounts } from "./cycle-state";
import { addMs } from "../queue/schedule";

export interface Stuck {
  reason: string;
  since: string;
  runs: number;
  /** While backing off: the sweep is retried from this time on (side runs continue meanwhile). */
  retryAt?: string;
  /** Where the cycle stopped (phase and cursor): a run that stops there again adds a run. */
  at?: string;
}

/** Runs without progress after which the cycle counts as stuck and a blocked sweep backs off. */
export const STUCK_RUNS = 3;
const SWEEP_BACKOFF_MS = 5 * 60_000;
const MAX_SWEEP_BACKOFF_MS = 60 * 60_000;

export function parseStuck(value: unknown): Stuck | null {
  const s = value as Partial<Stuck> | null;
  return s && typeof s.reason === "string" && typeof s.since === "string" && typeof s.runs === "number" ? (s as Stuck) : null;
}

const addCounts = (into: CycleCounts, from: CycleCounts) => {
  for (const k of Object.keys(from) as (keyof CycleCounts)[]) into[k] += from[k];
};

/** Work the queue (ingest → users → groups → members) without moving the sweep's checkpoint. */
async function sideRun(ctx: SyncContext): Promise<void> {
  const sweep = ctx.cycle;
  const side = newCycle("incremental", sweep.id, sweep.startedAt);
  ctx.cycle = side;
  ctx.halt = null;
  try {
    await runCycle(ctx);
  } finally {
    ctx.cycle = sweep;
    addCounts(sweep.counts, { ...emptyCounts(), ...side.counts });
  }
}

const blockedSweep = (ctx: SyncContext) =>
  isSweepPhase(ctx.cycle.phase) && (ctx.halt?.reason === "hubUnavailable" || ctx.halt?.reason === "hubContract");

export async function runWithStuckGuard(ctx: SyncContext, prev: Stuck | null, logger: Logger): Promise<{ outcome: "finished" | "paused"; stuck: Stuck | null }> {
  const now = ctx.now();
  const backingOff = prev?.retryAt !== undefined && prev.retryAt > now && isSweepPhase(ctx.cycle.phase);
  let stuck: Stuck | null = prev;
  if (backingOff) ctx.halt = new CycleStop("hubContract", prev!.reason);
  else {
    if ((await runCycle(ctx)) === "finished") return { outcome: "finished", stuck: null };
    const paused = ctx.halt?.reason === "budget" || ctx.halt?.reason === "rateLimited";
    const at = `${ctx.cycle.phase}|${ctx.cycle.cursor ?? ""}|${ctx.cycle.memberPage?.page ?? ""}`;
    // A budget pause made progress; a halt counts a run where the cycle stopped (again).
    if (!paused) stuck = nextStuck(ctx, prev?.at === at ? prev : null, now, at, logger);
    else if (prev?.at !== at) stuck = null;
  }
  const halt = ctx.halt;
  if ((backingOff || blockedSweep(ctx)) && budgetLeft(ctx.budget)) {
    await sideRun(ctx);
    ctx.halt = halt;
  }
  return { outcome: "paused", stuck };
}

/** One more run without progress: count it, log it, and back a blocked sweep off after STUCK_RUNS. */
function nextStuck(ctx: SyncContext, prev: Stuck | null, now: string, at: string, logger: Logger): Stuck {
  const runs = (prev?.runs ?? 0) + 1;
  const stuck: Stuck = { reason: ctx.halt?.message ?? "no progress", since: prev?.since ?? now, runs, at };
  if (isSweepPhase(ctx.cycle.phase) && runs >= STUCK_RUNS) {
    stuck.retryAt = addMs(now, Math.min(MAX_SWEEP_BACKOFF_MS, SWEEP_BACKOFF_MS * 2 ** (runs - STUCK_RUNS)));
  }
  logger.warn("sync cycle not advancing", { tenantId: ctx.tenantId, cycleId: ctx.cycle.id, phase: ctx.cycle.phase, ...stuck });
  return stuck;
}
