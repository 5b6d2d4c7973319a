// Builds a run's SyncContext. Its commit() is fenced: the checkpoint UPDATE is conditional on the
// run's lease id (its fencing token) and a guard aborts the whole batch when that UPDATE matched
// nothing, so a stale run (one that outlived its lease) cannot land a single write and stops.
import { abortUnlessChanged } from "../../platform/d1/db";
import { constraintOf, runParts, type BatchResults } from "../../platform/d1/batch";
import { leasedUpdate, type HubSettingsRow, type SyncStateRow } from "../storage/sync-state";
import { CycleStop, type SyncContext } from "./context";
import { hubUserFieldOptions } from "../hub/hub-user-fields";

export interface ContextInput extends Pick<SyncContext, "db" | "tenantId" | "leaseId" | "hub" | "budget" | "cycle" | "now"> {
  settings: HubSettingsRow;
  state: SyncStateRow;
}

/** Put `target` back to `saved` in place (other holders of the object see the restored state). */
function restoreInPlace(target: object, saved: object) {
  for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, structuredClone(saved));
}

/** The names of the fence's two parts (the checkpoint UPDATE and its guard) in a commit's batch. */
const FENCE_PARTS = "fence:checkpoint";
const FENCE_GUARD = "fence:guard";

export function createSyncContext(input: ContextInput): SyncContext {
  const { db, tenantId, leaseId, now } = input;
  // The checkpoint as D1 holds it. A batch that fails did not land: a step may already have
  // advanced the cursor in memory (a sweep page), and saving that later would skip the page.
  let committed = structuredClone(input.cycle);
  const ctx: SyncContext = {
    db, tenantId, leaseId, hub: input.hub, budget: input.budget, cycle: input.cycle, now, halt: null,
    policy: {
      hubConflict: input.settings.hubConflict,
      deleteThresholdPercent: input.settings.deleteThresholdPercent,
      deleteThresholdMinimum: input.settings.deleteThresholdMinimum,
      deletedUserGraceDays: input.settings.deletedUserGraceDays,
    },
    deletionsConfirmed: input.state.deletionsConfirmed,
    userFields: hubUserFieldOptions(input.settings),
    checkpoint: input.cycle,
    async commit(statements) {
      return (await ctx.commitParts({ statements })).statements;
    },
    async commitParts(parts) {
      const written = structuredClone(ctx.checkpoint);
      try {
        // The fence heads the batch; the caller's parts keep their own names.
        if (FENCE_PARTS in parts || FENCE_GUARD in parts) throw new Error("commitParts: part names reserved for the fence");
        const results: Record<string, unknown> = await runParts(db, {
          [FENCE_PARTS]: leasedUpdate(db, tenantId, leaseId, { cycle: { ...ctx.checkpoint }, updatedAt: now() }),
          [FENCE_GUARD]: abortUnlessChanged(db),
          ...parts,
        });
        committed = written;
        return Object.fromEntries(Object.keys(parts).map((name) => [name, results[name]])) as BatchResults<typeof parts>;
      } catch (e) {
        restoreInPlace(ctx.checkpoint, committed);
        if (constraintOf(e) === "version_guard") {
          throw new CycleStop("fenced", "another run took over the tenant's lease; this run stops");
        }
        throw e;
      }
    },
  };
  return ctx;
}

