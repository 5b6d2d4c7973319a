// The mass-delete guard (like Entra's "prevent accidental deletions"): when one cycle would delete
// or deactivate more than the tenant's threshold of the hub objects we own (default 10 % and at
// least 20), those deletions wait until an admin confirms them; everything else keeps flowing.
// A confirmation covers the deletions held when it was given (src/sync/storage/sync-deletion-confirm.ts).
import { setDeletionsHeldStatement } from "../storage/sync-state";
import { plannedDeletions } from "../storage/sync-items";
import type { SyncContext, SyncPolicy } from "./context";

/** Over the threshold: at least `minimum` deletions and more than `percent` of what we own. */
export const exceedsThreshold = (deletions: number, owned: number, p: SyncPolicy) =>
  deletions >= p.deleteThresholdMinimum && deletions * 100 > p.deleteThresholdPercent * owned;

/**
 * Decide, once per work phase and only when a step meets a deletion, whether the phase's
 * deletions are held (the cursor records the decision). Returns whether they are held and the
 * statement that records it in sync_state, for the step's commit batch (no extra round trip when
 * the phase deletes nothing).
 */
export async function holdDeletions(ctx: SyncContext, kind: "user" | "group", deletes: boolean) {
  const field = kind === "user" ? "users" : "groups";
  if (ctx.cycle.cursor === "held" || ctx.cycle.cursor === "flowing") return { held: ctx.cycle.cursor === "held", statements: [] };
  if (!deletes) return { held: false, statements: [setDeletionsHeldStatement(ctx.db, ctx.tenantId, field, 0)] };
  // Deletions the admin confirmed (and the confirmation is live) go anyway; the rest are weighed.
  const { deletions, owned } = await plannedDeletions(ctx.db, ctx.tenantId, kind, ctx.now());
  const held = exceedsThreshold(deletions, owned, ctx.policy);
  ctx.cycle.cursor = held ? "held" : "flowing";
  return { held, statements: [setDeletionsHeldStatement(ctx.db, ctx.tenantId, field, held ? deletions : 0)] };
}
