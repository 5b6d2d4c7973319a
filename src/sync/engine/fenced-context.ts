// Builds a run's SyncContext. Its commit() is fenced: the checkpoint UPDATE is conditional on the
// run's lease id (its fencing token) and a guard aborts the whole batch when that UPDATE matched
// nothing, so a stale run (one that outlived its lease) cannot land a single write and stops.
import { abortUnlessChanged } from "../../platform/d1/db";
import { constraintOf, runParts } from "../../platform/d1/batch";
import { leasedUpdate, type HubSettingsRow, type SyncStateRow } from "../storage/sync-state";
import { CycleStop, type SyncContext } from "./context";
import { hubUserFieldOptions } from "../hub/hub-user-fields";

export interface ContextInput extends Pick<SyncContext, "db" | "tenantId" | "leaseId" | "hub" | "budget" | "cycle" | "now"> {
  settings: HubSettingsRow;
  state: SyncStateRow;
}

export function createSyncContext(input: ContextInput): SyncContext {
  const { db, tenantId, leaseId, now } = input;
  const ctx: SyncContext = {
    db, tenantId, leaseId, hub: input.hub, budget: input.budget, cycle: input.cycle, now, halt: null,
    policy: { deleteThresholdPercent: input.settings.deleteThresholdPercent, deleteThresholdMinimum: input.settings.deleteThresholdMinimum },
    deletionsConfirmed: input.state.deletionsConfirmed,
    userFields: hubUserFieldOptions(input.settings),
    checkpoint: input.cycle,
    async commit(statements) {
      try {
        const results = await runParts(db, {
          checkpoint: leasedUpdate(db, tenantId, leaseId, { cycle: { ...ctx.checkpoint }, updatedAt: now() }),
          fence: abortUnlessChanged(db),
          statements,
        });
        return results.statements;
      } catch (e) {
        if (constraintOf(e) === "version_guard") {
          throw new CycleStop("fenced", "another run took over the tenant's lease; this run stops");
        }
        throw e;
      }
    },
  };
  return ctx;
}

