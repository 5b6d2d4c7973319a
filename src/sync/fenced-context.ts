// Builds a run's SyncContext. Its commit() is fenced: the checkpoint UPDATE is conditional on the
// run's lease id (its fencing token) and a guard aborts the whole batch when that UPDATE matched
// nothing, so a stale run (one that outlived its lease) cannot land a single write and stops.
import { abortUnlessChanged } from "../storage/db";
import { leasedUpdate, type HubSettingsRow, type SyncStateRow } from "../storage/sync-state";
import { CycleStop, type SyncContext } from "./context";
import { hubUserFieldOptions } from "./hub-user-fields";

export interface ContextInput extends Pick<SyncContext, "db" | "tenantId" | "leaseId" | "hub" | "budget" | "cycle" | "now"> {
  settings: HubSettingsRow;
  state: SyncStateRow;
}

/** Results of the caller's statements (the fence's two come first and are dropped). */
const FENCE_STATEMENTS = 2;

/** Put `target` back to `saved` in place (other holders of the object see the restored state). */
function restoreInPlace(target: object, saved: object) {
  for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, structuredClone(saved));
}

export function createSyncContext(input: ContextInput): SyncContext {
  const { db, tenantId, leaseId, now } = input;
  // The checkpoint as D1 holds it. A batch that fails did not land: a step may already have
  // advanced the cursor in memory (a sweep page), and saving that later would skip the page.
  let committed = structuredClone(input.cycle);
  const ctx: SyncContext = {
    db, tenantId, leaseId, hub: input.hub, budget: input.budget, cycle: input.cycle, now, halt: null,
    policy: { deleteThresholdPercent: input.settings.deleteThresholdPercent, deleteThresholdMinimum: input.settings.deleteThresholdMinimum },
    deletionsConfirmed: input.state.deletionsConfirmed,
    userFields: hubUserFieldOptions(input.settings),
    checkpoint: input.cycle,
    async commit(statements) {
      const written = structuredClone(ctx.checkpoint);
      const fence = [leasedUpdate(db, tenantId, leaseId, { cycle: { ...ctx.checkpoint }, updatedAt: now() }), abortUnlessChanged(db)];
      try {
        const results = (await db.batch([...fence, ...statements] as unknown as Parameters<typeof db.batch>[0])) as unknown as unknown[];
        committed = written;
        return results.slice(FENCE_STATEMENTS);
      } catch (e) {
        restoreInPlace(ctx.checkpoint, committed);
        if (/version_guard/.test(String((e as Error)?.message) + String((e as { cause?: Error })?.cause?.message))) {
          throw new CycleStop("fenced", "another run took over the tenant's lease; this run stops");
        }
        throw e;
      }
    },
  };
  return ctx;
}

