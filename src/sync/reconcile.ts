// The scheduled entry of the Device Hub sync: pick due tenants and run each one within the
// invocation budget (time, D1 calls, hub calls, ≤ 6 in flight) through run-tenant.ts, then
// bounded deployment-wide housekeeping. One log line per tenant.
import type { Bindings } from "../config";
import { systemClock, type Clock } from "../lib/clock";
import { createLogger, type Logger } from "../lib/log";
import { createDb, type Db } from "../storage/db";
import { purgeStep, tenantsWithPurges, trimUnsyncedOutbox } from "../storage/sync-purge";
import { listDueTenants } from "../storage/sync-state";
import { countingD1, createCallCounter } from "./device-hub/budget";
import { budgetLeft, type RunBudget } from "./context";
import { runTenantCycle, type TenantRunReport } from "./run-tenant";

export type { TenantRunReport } from "./run-tenant";

/** Hard per-invocation caps; the soft budget below keeps well under them. */
export const HARD_MAX_D1_CALLS = 800;
export const HARD_MAX_HUB_CALLS = 5000;

export interface ReconcileOptions {
  clock?: Clock;
  /** Wall-clock budget of the invocation (a CPU bound: CPU time never exceeds wall time). */
  budgetMs?: number;
  maxD1Calls?: number;
  maxHubCalls?: number;
  /** Run these tenants (still lease-guarded and rate-limit-aware) instead of the due ones. */
  tenantIds?: string[];
  maxTenants?: number;
  log?: Logger;
}

export interface ReconcileReport {
  tenants: TenantRunReport[];
  d1Calls: number;
  hubCalls: number;
  peakHubInFlight: number;
  durationMs: number;
}

export const DEFAULT_BUDGET_MS = 20_000;

/** Deployment-wide: outbox rows of tenants without a hub, purges of tenants without a hub. */
async function globalHousekeeping(db: Db, budget: RunBudget, now: string) {
  if (!budgetLeft(budget)) return;
  await trimUnsyncedOutbox(db, now);
  for (const { tenant_id } of await tenantsWithPurges(db, 5)) {
    if (!budgetLeft(budget)) return;
    await purgeStep(db, tenant_id);
  }
}

export async function runReconcile(env: Bindings, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const started = Date.now();
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger({ job: "device-hub-sync" });
  const counter = createCallCounter({ maxD1Calls: HARD_MAX_D1_CALLS, maxHubCalls: HARD_MAX_HUB_CALLS });
  const budget: RunBudget = {
    counter,
    deadline: started + (opts.budgetMs ?? DEFAULT_BUDGET_MS),
    maxD1Calls: Math.min(opts.maxD1Calls ?? 700, HARD_MAX_D1_CALLS),
    maxHubCalls: Math.min(opts.maxHubCalls ?? 4000, HARD_MAX_HUB_CALLS),
  };
  const db = createDb(countingD1(env.DB, counter));
  const now = clock().toISOString();
  const ids = opts.tenantIds ?? (await listDueTenants(db, now, opts.maxTenants ?? 25)).map((r) => r.tenantId);
  const tenants: TenantRunReport[] = [];
  for (const id of ids) {
    if (!budgetLeft(budget)) break;
    tenants.push(await runTenantCycle(env, db, budget, clock, id, log));
  }
  await globalHousekeeping(db, budget, now);
  return { tenants, d1Calls: counter.d1Calls, hubCalls: counter.hubCalls, peakHubInFlight: counter.peakHubInFlight, durationMs: Date.now() - started };
}
