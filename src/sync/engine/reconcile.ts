// The scheduled entry of the Device Hub sync: pick due tenants and run each one within the
// invocation budget (time, D1 calls, hub calls, ≤ 6 in flight) through run-tenant.ts, then
// bounded deployment-wide housekeeping, shard after shard within one budget. One log line per
// tenant.
import type { Bindings } from "../../config";
import { systemClock, type Clock } from "../../platform/clock";
import { createLogger, type Logger } from "../../platform/log";
import { createDb, type Db } from "../../platform/d1/db";
import { groupByShard } from "../../tenancy/port";
import { DIRECTORY_SHARD, directoryDb, shardD1, shardNames } from "../../platform/d1/shards";
import { purgeStep, tenantsWithPurges, trimUnsyncedOutbox } from "../storage/sync-purge";
import { listDueTenants } from "../storage/sync-state";
import { countingD1, createCallCounter } from "../hub/budget";
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
  /** Hub calls open at once (default 6, the Workers limit of open connections per invocation). */
  maxHubInFlight?: number;
  /** Run these tenants (still lease-guarded and rate-limit-aware) instead of the due ones. */
  tenantIds?: string[];
  /** The shard of `tenantIds` when the caller knows it (else one directory read finds it). */
  shard?: string;
  /** Due tenants per invocation, shared by the shards. */
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

const perShard = (env: Bindings, total: number) => Math.max(1, Math.ceil(total / shardNames(env).length));

/**
 * Which shards this invocation visits, each with its tenants (undefined: its due ones). Named
 * tenants go to their shards; otherwise every shard, starting at a different one each minute so
 * a busy shard cannot keep the others' due tenants waiting for the budget.
 */
async function shardsToRun(env: Bindings, opts: ReconcileOptions, now: string) {
  if (opts.tenantIds && opts.tenantIds.length > 0) {
    if (opts.shard) return new Map([[opts.shard, opts.tenantIds]]);
    // Outside the run's D1 budget: one read before any tenant runs, as the consumer's own.
    return groupByShard(directoryDb(env), opts.tenantIds, DIRECTORY_SHARD);
  }
  const names = shardNames(env);
  const start = Math.floor(Date.parse(now) / 60_000) % names.length;
  const rotated = [...names.slice(start), ...names.slice(0, start)];
  return new Map<string, string[] | undefined>(rotated.map((name) => [name, opts.tenantIds]));
}

/**
 * The sync's deployment-wide housekeeping alone, shard after shard within one budget: what the
 * cron runs after sending the due tenants' messages (the consumer runs the tenants).
 */
export async function runSyncHousekeeping(env: Bindings, opts: Pick<ReconcileOptions, "clock" | "budgetMs" | "log"> = {}) {
  await runReconcile(env, { ...opts, tenantIds: NO_TENANTS });
}

/** runReconcile's tenant list for "housekeeping only": every shard is visited, no tenant runs. */
const NO_TENANTS: string[] = [];

export async function runReconcile(env: Bindings, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const started = Date.now();
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger({ job: "device-hub-sync" });
  const counter = createCallCounter({ maxD1Calls: HARD_MAX_D1_CALLS, maxHubCalls: HARD_MAX_HUB_CALLS, maxHubInFlight: opts.maxHubInFlight });
  const budget: RunBudget = {
    counter,
    deadline: started + (opts.budgetMs ?? DEFAULT_BUDGET_MS),
    maxD1Calls: Math.min(opts.maxD1Calls ?? 700, HARD_MAX_D1_CALLS),
    maxHubCalls: Math.min(opts.maxHubCalls ?? 4000, HARD_MAX_HUB_CALLS),
  };
  const now = clock().toISOString();
  const open = (shard: string) => createDb(countingD1(shardD1(env, shard), counter));
  const tenants: TenantRunReport[] = [];
  for (const [shard, listed] of await shardsToRun(env, opts, now)) {
    const db = open(shard);
    const ids = listed ?? (await listDueTenants(db, now, perShard(env, opts.maxTenants ?? 25))).map((r) => r.tenantId);
    for (const id of ids) {
      if (!budgetLeft(budget)) break;
      tenants.push(await runTenantCycle(env, db, budget, clock, id, log));
    }
    await globalHousekeeping(db, budget, now);
  }
  return { tenants, d1Calls: counter.d1Calls, hubCalls: counter.hubCalls, peakHubInFlight: counter.peakHubInFlight, durationMs: Date.now() - started };
}
