// Finishing adoptions: a SCIM create under the "adopt" policy links a hub user in the ledger and
// the mirror at once, but the hub user carries our externalRef only once we write it. Until then
// any other reader of the hub sees an unlinked user, so writing it is the first thing every run
// does, before it resumes its cycle (a sweep may take many runs to reach its users phase).
import { insertLogStatement, type LogEntry } from "../storage/sync-log";
import { dropHubUsersStatements, upsertHubUsersStatements } from "../storage/sync-mirror";
import { adoptionFinishedStatement, pendingAdoptions, releaseOwnershipStatement } from "../storage/sync-owned";
import { enqueueStatement } from "../storage/sync-work";
import { budgetLeft, describe, hubCalls, isPermanent, type SyncContext } from "../engine/context";
import { hubUserFromScim } from "../engine/plan";

/** Adoptions finished per run at most (one hub PATCH each); the rest go first in the next run. */
const MAX_PER_RUN = 100;

export async function finishAdoptions(ctx: SyncContext): Promise<void> {
  if (ctx.halt || !budgetLeft(ctx.budget)) return;
  const rows = await pendingAdoptions(ctx.db, ctx.tenantId, MAX_PER_RUN);
  if (rows.length === 0) return;
  const results = await hubCalls(ctx, rows, (r) =>
    ctx.hub.updateUser(r.hub_id, hubUserFromScim(r.scim_id, JSON.parse(r.doc) as Record<string, unknown>, ctx.userFields)));
  const statements = [];
  const logs: LogEntry[] = [];
  const now = ctx.now();
  rows.forEach((r, k) => {
    const res = results[k]!;
    const log = { action: "user.adopt", scimId: r.scim_id, hubId: r.hub_id };
    if (res.ok) {
      const user = res.value;
      statements.push(
        ...upsertHubUsersStatements(ctx.db, ctx.tenantId, [
          { hubId: user.id, externalRef: user.externalRef, userNameLc: user.userName.toLowerCase(), syncedVersion: r.version, active: user.active },
        ]),
        adoptionFinishedStatement(ctx.db, ctx.tenantId, r.scim_id, r.hub_id),
      );
      logs.push({ ...log, result: "ok" });
      return;
    }
    if (!("error" in res)) return; // skipped: the run stopped (429, 401); the next run tries first again
    if (res.error.kind === "notFound") {
      // The hub user is gone: nothing left to adopt; the SCIM user is created like any other.
      statements.push(
        ...dropHubUsersStatements(ctx.db, ctx.tenantId, { refs: [r.scim_id] }),
        releaseOwnershipStatement(ctx.db, ctx.tenantId, "user", [r.scim_id]),
        enqueueStatement(ctx.db, ctx.tenantId, "user", [r.scim_id], now, { restart: true }),
      );
    } else if (isPermanent(res.error)) {
      // A retry of the same PATCH cannot help (a naming rule): the users phase's item reports it.
      statements.push(
        adoptionFinishedStatement(ctx.db, ctx.tenantId, r.scim_id, r.hub_id),
        enqueueStatement(ctx.db, ctx.tenantId, "user", [r.scim_id], now, { restart: true }),
      );
    }
    logs.push({ ...log, result: "failed", error: describe(res.error) });
  });
  if (logs.length) statements.push(insertLogStatement(ctx.db, ctx.tenantId, ctx.cycle.id, now, logs));
  if (statements.length) await ctx.commit(statements);
}
