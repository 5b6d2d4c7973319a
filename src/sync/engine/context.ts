// What every sync phase works with: the tenant, db, hub client, run budget, the cycle being run,
// commit() (a D1 batch that always carries the checkpoint) and bounded-concurrency hub calls that
// turn failures into outcomes and stop the tenant's cycle on 429 / 401 / an unreachable hub.
import type { BatchItem } from "drizzle-orm/batch";
import type { BatchResults, Part } from "../../platform/d1/batch";
import type { Db } from "../../platform/d1/db";
import { BudgetExceededError, DEFAULT_MAX_HUB_IN_FLIGHT, type CallCounter } from "../hub/budget";
import { DeviceHubError, isTransientHubError, type DeviceHubClient } from "../hub/client";
import type { CycleState } from "./cycle-state";
import type { HubUserFieldOptions } from "../hub/hub-user-fields";

/**
 * hubContract: the hub answered in a way the contract does not allow (a 4xx on a read, a
 * malformed body); fenced: another run took the tenant's lease, so this one must stop at once.
 */
export type StopReason = "rateLimited" | "unauthorized" | "hubUnavailable" | "hubContract" | "budget" | "fenced";

/** Ends the tenant's cycle for this invocation; the checkpoint lets the next one resume. */
export class CycleStop extends Error {
  constructor(
    readonly reason: StopReason,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "CycleStop";
  }
}

export interface RunBudget {
  counter: CallCounter;
  /** Wall-clock deadline (ms since epoch) of this invocation. */
  deadline: number;
  maxD1Calls: number;
  maxHubCalls: number;
}

/** Room left for one more step (a step needs ≤ ~30 D1 calls and ≤ ~600 hub calls). */
export function budgetLeft(b: RunBudget, now = Date.now()): boolean {
  return now < b.deadline && b.counter.d1Calls + 30 <= b.maxD1Calls && b.counter.hubCalls + 600 <= b.maxHubCalls;
}

export interface SyncContext {
  db: Db;
  tenantId: string;
  leaseId: string;
  hub: DeviceHubClient;
  budget: RunBudget;
  cycle: CycleState;
  /** The tenant's hub user-field options (default language, extension mapping). */
  userFields: HubUserFieldOptions;
  /** The cycle state the checkpoint stores (the sweep's, while an incremental side run works). */
  checkpoint: CycleState;
  now: () => string;
  /** Run the statements plus the fenced checkpoint as one atomic batch; results of `statements` only. */
  commit(statements: BatchItem<"sqlite">[]): Promise<unknown[]>;
  /** The same with named parts, whose results come back by name (platform/d1/batch.ts). */
  commitParts<const P extends Record<string, Part>>(parts: P): Promise<BatchResults<P>>;
  /** Set when the tenant must stop calling the hub (429, 401, hub down). */
  halt: CycleStop | null;
  /** The tenant's sync policies (mass-delete guard thresholds). */
  policy: SyncPolicy;
  /** The admin confirmed the deletions the guard held back (POST …/confirm-deletions). */
  deletionsConfirmed: boolean;
}

export interface SyncPolicy {
  /** What a create of a name a hub-made account holds does: adopt that account, or leave it (reject). */
  hubConflict: "reject" | "adopt";
  deleteThresholdPercent: number;
  deleteThresholdMinimum: number;
  /** Days a deleted SCIM user's hub account is kept, deactivated, before it is deleted (0: at once). */
  deletedUserGraceDays: number;
}

/** Failed calls in one round (with no success) that mean "the hub is down". */
export const HUB_DOWN_FAILURES = 3;

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: DeviceHubError } | { ok: false; skipped: true };

/** Failure text for logs and parked items. */
export const describe = (e: DeviceHubError) => `${e.kind}${e.status ? ` ${e.status}` : ""}${e.code ? ` ${e.code}` : ""}: ${e.message}`;

/** A failure that no retry of the same request can fix: park at once. */
export const isPermanent = (e: DeviceHubError) => e.kind === "conflict" || e.kind === "badRequest";

function haltFor(e: unknown): CycleStop | null {
  if (e instanceof CycleStop) return e;
  if (e instanceof BudgetExceededError) return new CycleStop("budget", e.message);
  if (!(e instanceof DeviceHubError)) return null;
  if (e.kind === "rateLimited") return new CycleStop("rateLimited", describe(e), e.retryAfterSeconds);
  if (e.kind === "unauthorized") return new CycleStop("unauthorized", describe(e));
  return null;
}

/**
 * Run hub calls with ≤ 6 in flight (fewer when the run's share of the invocation's connections is
 * smaller: a call waiting for a connection would spend its own timeout waiting). A 429/401 halts the tenant: calls not yet started are
 * skipped (their items stay as they are). Unknown (non-hub) errors propagate.
 */
export async function hubCalls<I, T>(ctx: SyncContext, items: I[], call: (item: I) => Promise<T>): Promise<CallResult<T>[]> {
  const results: CallResult<T>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      if (ctx.halt) {
        results[i] = { ok: false, skipped: true };
        continue;
      }
      try {
        results[i] = { ok: true, value: await call(items[i] as I) };
      } catch (e) {
        const stop = haltFor(e);
        if (stop) {
          ctx.halt ??= stop;
          results[i] = { ok: false, skipped: true };
        } else if (e instanceof DeviceHubError) {
          results[i] = { ok: false, error: e };
        } else throw e;
      }
    }
  };
  const inFlight = Math.min(DEFAULT_MAX_HUB_IN_FLIGHT, ctx.budget.counter.limits.maxHubInFlight, items.length);
  await Promise.all(Array.from({ length: inFlight }, worker));
  // Several calls, none through, transient failures only: the hub is down; stop for this
  // invocation. One or two failing items do not stop the rest (they back off, then park).
  const failures = results.filter((r): r is { ok: false; error: DeviceHubError } => !r.ok && "error" in r);
  if (!ctx.halt && failures.length >= HUB_DOWN_FAILURES && !results.some((r) => r.ok) && failures.every((f) => isTransientHubError(f.error))) {
    ctx.halt = new CycleStop("hubUnavailable", describe(failures[0]!.error));
  }
  return results;
}

export const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Member add/remove answers, unified (added for add, removed for remove). */
export interface MemberBatchResult {
  added?: number;
  removed?: number;
  results: { userId: string; status: "added" | "alreadyMember" | "removed" | "notMember" | "unknownUser" }[];
}
