// The mass-delete guard (like Entra's "prevent accidental deletions"): when one cycle would delete
// or deactivate more than the tenant's threshold of the hub objects we own (default 10 % and at
// least 20), those deletions wait until an admin confirms them; everything else keeps flowing.
import { setDeletionsHeldStatement } from "../storage/sync-state";
import { plannedDeletions } from "../storage/sync-items";
import type { SyncContext, SyncPolicy } from "./context";

/** Over the threshold: at least `minimum` deletions and more than `percent` of what we own. */
export const exceedsThreshold = (deletions: number, owned: number, p: SyncPolicy) =>
  deletions >= p.deleteThresholdMinimum && deletions * 100 > p.deleteThresholdPercent * owned;

/**
 * Decide once per work phase (the cursor records it) whether this phase's deletions are held.
 * The decision and its count go into sync_state with the checkpoint.
 */
export async function holdDeletions(ctx: SyncContext, kind: "user" | "group"): Promise<boolean> {
  if (ctx.cycle.cursor === "held" || ctx.cycle.cursor === "flowing") return ctx.cycle.cursor === "held";
  const { deletions, owned } = await plannedDeletions(ctx.db, ctx.tenantId, kind);
  const held = !ctx.deletionsConfirmed && exceedsThreshold(deletions, owned, ctx.policy);
  if (ctx.deletionsConfirmed && deletions > 0) ctx.cycle.deletionsConfirmedUsed = true;
  ctx.cycle.cursor = held ? "held" : "flowing";
  await ctx.commit([setDeletionsHeldStatement(ctx.db, ctx.tenantId, kind === "user" ? "users" : "groups", held ? deletions : 0)]);
  return held;
}
