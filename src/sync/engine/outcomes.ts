// Collects what one step did (work items done / failed / pending / retry-now, log entries, mirror
// statements) and turns it into the statements of the step's single commit batch.
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../platform/d1/db";
import { insertLogStatement, type LogEntry } from "../storage/sync-log";
import { markPendingStatement, MAX_ATTEMPTS, retryNowStatement, workDoneStatement, workFailedStatement, type WorkFailure } from "../storage/sync-work";
import type { DeviceHubError } from "../hub/client";
import { describe, isPermanent, type SyncContext } from "./context";

export interface Outcomes {
  statements: BatchItem<"sqlite">[];
  done: number[];
  failed: WorkFailure[];
  pending: number[];
  retryNow: number[];
  logs: LogEntry[];
  /** Statements that must see this step's outcomes (e.g. a back-off to align with): run last. */
  after: BatchItem<"sqlite">[];
}

export const newOutcomes = (): Outcomes => ({ statements: [], done: [], failed: [], pending: [], retryNow: [], logs: [], after: [] });

/** Record a failed hub operation for a work item: backoff, or park when permanent / out of attempts. */
export function recordFailure(
  ctx: SyncContext,
  out: Outcomes,
  item: { workId: number; attempts: number },
  log: Omit<LogEntry, "result" | "error">,
  error: DeviceHubError,
  /** A conflict that another item of ours is about to clear (a name being freed): back off, do not park. */
  transient = false,
) {
  const parkNow = isPermanent(error) && !transient;
  const park = parkNow || item.attempts + 1 >= MAX_ATTEMPTS;
  out.failed.push({ id: item.workId, error: describe(error), park: parkNow });
  out.logs.push({ ...log, result: park ? "parked" : "failed", error: describe(error) });
  ctx.cycle.counts.failed++;
  if (park) ctx.cycle.counts.parked++;
}

export function outcomeStatements(db: Db, ctx: SyncContext, out: Outcomes): BatchItem<"sqlite">[] {
  const now = ctx.now();
  const s: BatchItem<"sqlite">[] = [...out.statements];
  if (out.done.length) s.push(workDoneStatement(db, out.done));
  if (out.failed.length) s.push(workFailedStatement(db, out.failed, now));
  if (out.pending.length) s.push(markPendingStatement(db, out.pending, now));
  if (out.retryNow.length) s.push(retryNowStatement(db, out.retryNow, now));
  if (out.logs.length) s.push(insertLogStatement(db, ctx.tenantId, ctx.cycle.id, now, out.logs));
  s.push(...out.after);
  return s;
}
