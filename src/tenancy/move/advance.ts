// The move state machine, one bounded invocation at a time (the cron, the admin route's waitUntil
// and the move queue's consumer): copying → switching → purging → done, or cancelling → cancelled
// / failed.
import type { Bindings } from "../../config";
import type { Logger } from "../../platform/log";
import { VersionConflict, type Db } from "../../platform/d1/db";
import { directoryDb, shardDb } from "../../platform/d1/shards";
import { copyStep, type MoveDbs } from "./copy";
import { journalBacklog, replayStep } from "./journal";
import { handOn } from "./hand-on";
import { ACTIVE_STATES, activeMoves, closeGate, dropJournal, gateOf, noteMoveError, startSwitch, updateMove, type MoveRow } from "./moves";
import { readProgress, type Progress } from "./progress";
import { dropTenantRow, purgeRound } from "./purge";
import { MOVED_TABLES } from "./tables";
import { afterFlip, drain, fixSyncCheckpoint, flip, type Spend } from "./switch";
import { openGates, tenantRowCopy } from "./start";

/** Journal entries left at which the copy stops and the switch begins (≈ one replay step). */
export const SWITCH_BACKLOG = 200;

export interface MoveBudget {
  /** Copy, replay or purge steps (each one read and one batch) this invocation may take. */
  steps: number;
  deadline: number;
}

export const defaultBudget = (env: Bindings): MoveBudget => ({
  steps: Math.max(1, Number(env.TENANT_MOVE_STEPS ?? 200) || 200),
  deadline: Date.now() + 10_000,
});

const hasBudget = (budget: MoveBudget) => budget.steps > 0 && Date.now() < budget.deadline;
const spender = (budget: MoveBudget): Spend => () => {
  if (!hasBudget(budget)) return false;
  budget.steps--;
  return true;
};

const nowIso = () => new Date().toISOString();

/** Advance one move as far as the budget allows; returns its state afterwards. */
export async function advanceMove(env: Bindings, move: MoveRow, budget: MoveBudget): Promise<MoveRow["state"]> {
  const directory = directoryDb(env);
  const dbs: MoveDbs = { source: shardDb(env, move.source), dest: shardDb(env, move.destination), tenantId: move.tenantId, moveId: move.id };
  const spend = spender(budget);
  const left = () => hasBudget(budget);
  try {
    switch (move.state) {
      case "copying": return await copying(directory, dbs, move, spend, left);
      case "switching": return await switching(directory, dbs, move, spend, left);
      case "purging": return await purging(directory, dbs, move, spend);
      case "cancelling": return await cancelling(directory, dbs, move, spend);
      default: return move.state;
    }
  } catch (e) {
    // Another invocation advanced the same move meanwhile: its work stands, this one stops.
    if (e instanceof VersionConflict) return move.state;
    const message = e instanceof Error ? e.message : String(e);
    if (move.state === "copying" && move.error) {
      // Failed twice in a row, nothing switched yet: give up cleanly (the destination copy is
      // dropped, writes carry on). A first failure may be passing (an overloaded database).
      await updateMove(directory, move.id, "copying", { state: "cancelling", error: message.slice(0, 500), updatedAt: nowIso() });
      return "cancelling";
    }
    await noteMoveError(directory, move.id, message, nowIso());
    return move.state;
  }
}

async function record(directory: Db, move: MoveRow, progress: Progress, set: Partial<MoveRow> = {}) {
  await updateMove(directory, move.id, move.state, {
    progress: JSON.stringify(progress), copiedRows: progress.copied, replayedRows: progress.replayed, updatedAt: nowIso(), error: null, ...set,
  });
}

async function copying(directory: Db, dbs: MoveDbs, move: MoveRow, spend: Spend, left: () => boolean): Promise<MoveRow["state"]> {
  let progress = await readProgress(dbs.dest, dbs.tenantId, dbs.moveId);
  if (!progress) {
    await openGates(dbs, nowIso());
    progress = (await readProgress(dbs.dest, dbs.tenantId, dbs.moveId))!;
  }
  while (spend()) {
    if (progress.table < MOVED_TABLES.length) {
      progress = await copyStep(dbs, progress, nowIso());
      continue;
    }
    if ((await journalBacklog(dbs.source, dbs.tenantId, progress.journal, SWITCH_BACKLOG + 1)) > SWITCH_BACKLOG) {
      progress = (await replayStep(dbs, progress, nowIso())).progress;
      continue;
    }
    // The tenant's sync goes on on the source during the copy: the switch waits for a moment when
    // no run holds its lease (the next invocation tries again).
    const now = nowIso();
    await startSwitch(dbs.source, dbs.tenantId, dbs.moveId, now);
    if ((await gateOf(dbs.source, dbs.tenantId))?.state !== "switching") break;
    await record(directory, move, progress, { state: "switching", switchedAt: now });
    return switching(directory, dbs, { ...move, state: "switching" }, spend, left);
  }
  await record(directory, move, progress);
  return "copying";
}

async function switching(directory: Db, dbs: MoveDbs, move: MoveRow, spend: Spend, left: () => boolean): Promise<MoveRow["state"]> {
  const progress = await readProgress(dbs.dest, dbs.tenantId, dbs.moveId);
  // Another invocation got through the switch meanwhile (it closed the destination's gate).
  if (!progress) return move.state;
  const drained = await drain(dbs, progress, nowIso, spend, left);
  await record(directory, move, drained.progress);
  if (!drained.done) return "switching";
  await (await tenantRowCopy(dbs)).statement;
  await fixSyncCheckpoint(dbs);
  await flip(directory, dbs, move.id, move.destination, nowIso());
  return purging(directory, dbs, { ...move, state: "purging" }, spend);
}

async function purging(directory: Db, dbs: MoveDbs, move: MoveRow, spend: Spend): Promise<MoveRow["state"]> {
  await afterFlip(dbs, nowIso());
  let purged = move.purgedRows;
  while (spend()) {
    const n = await purgeRound(dbs.source, dbs.tenantId);
    purged += n;
    if (n > 0) continue;
    if (!(await dropBookkeeping(dbs.source, dbs.tenantId, dbs.moveId, spend))) break;
    await dropTenantRow(dbs.source, dbs.tenantId);
    const now = nowIso();
    await updateMove(directory, move.id, "purging", { state: "done", purgedRows: purged, finishedAt: now, updatedAt: now, error: null });
    return "done";
  }
  await updateMove(directory, move.id, "purging", { purgedRows: purged, updatedAt: nowIso(), error: null });
  return "purging";
}

async function cancelling(directory: Db, dbs: MoveDbs, move: MoveRow, spend: Spend): Promise<MoveRow["state"]> {
  // Writes on the source are normal again at once; the rest is cleanup.
  if ((await gateOf(dbs.source, dbs.tenantId))?.moveId === dbs.moveId) await closeGate(dbs.source, dbs.tenantId, dbs.moveId);
  while (spend()) {
    if ((await purgeRound(dbs.dest, dbs.tenantId)) > 0) continue;
    if (!(await dropBookkeeping(dbs.source, dbs.tenantId, dbs.moveId, spend))) break;
    // One batch: a tenants row without its gate would look like the live placement to the token gate.
    await dbs.dest.batch([dropTenantRow(dbs.dest, dbs.tenantId), closeGate(dbs.dest, dbs.tenantId, dbs.moveId)]);
    const now = nowIso();
    await updateMove(directory, move.id, "cancelling", { state: move.error ? "failed" : "cancelled", finishedAt: now, updatedAt: now });
    return move.error ? "failed" : "cancelled";
  }
  return "cancelling";
}

/** The journal rows (bounded deletes) and the source gate; false when the budget ran out. */
async function dropBookkeeping(source: Db, tenantId: string, moveId: string, spend: Spend): Promise<boolean> {
  for (;;) {
    const res = await dropJournal(source, tenantId, 1000);
    if ((res.meta.changes ?? 0) < 1000) break;
    if (!spend()) return false;
  }
  if ((await gateOf(source, tenantId))?.moveId === moveId) await closeGate(source, tenantId, moveId);
  return true;
}

/**
 * Advance a move within `budget`; if the budget ran out with work left, hand the move to the next
 * invocation at once (src/tenancy/move/hand-on.ts).
 */
export async function advanceAndHandOn(env: Bindings, move: MoveRow, budget: MoveBudget, log: Logger): Promise<MoveRow["state"]> {
  const state = await advanceMove(env, move, budget);
  const handedOn = ACTIVE_STATES.includes(state) && !hasBudget(budget) && (await handOn(env, move.id, log));
  log.info("tenant move advanced", { moveId: move.id, tenantId: move.tenantId, from: move.state, to: state, handedOn });
  return state;
}

/** The cron's share: a few active moves, each within what is left of one budget. */
export async function runTenantMoves(env: Bindings, log: Logger, budget = defaultBudget(env)): Promise<number> {
  const moves = await activeMoves(directoryDb(env), 5);
  for (const move of moves) {
    if (!hasBudget(budget)) {
      // No time left for it in this run: the next invocation takes it (or the next cron run).
      await handOn(env, move.id, log);
      continue;
    }
    await advanceAndHandOn(env, move, budget, log);
  }
  return moves.length;
}
