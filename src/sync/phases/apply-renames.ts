// The users phase's renames: each update that changes a userName has sent every other field
// already; here the names go to the hub in waves (src/sync/engine/rename-order.ts), so a swap or a
// rotation among our users is broken with a temporary name and no rename asks the hub for a name
// one of ours still holds. A rename that cannot go (the name is held by a hub account that is not
// ours) fails alone: the user's other fields are in the hub already.
import { upsertHubUsersStatements } from "../storage/sync-mirror";
import { meetHolderStatement, wakeNameWaitersStatement } from "../storage/sync-renames";
import { DeviceHubError } from "../hub/client";
import type { HubUser } from "../hub/schemas";
import { hubCalls, type SyncContext } from "../engine/context";
import { explainHubRejection } from "../hub/hub-rejection";
import { recordFailure, type Outcomes } from "../engine/outcomes";
import { orderRenames } from "../engine/rename-order";
import { applied, heldByOneOfOurs, rememberHolder, type Item } from "./apply-users";
import type { UserAction } from "../engine/plan";

export interface RenameCall {
  item: Item;
  /** The hub user as the first PATCH (all fields but the name) left it. */
  hubUser: HubUser;
  version: number;
  logAction: string;
}

const randomSuffix = () => crypto.randomUUID().replace(/-/g, "").slice(0, 12);

export async function runRenames(ctx: SyncContext, out: Outcomes, calls: RenameCall[]): Promise<void> {
  if (calls.length === 0) return;
  const byId = new Map(calls.map((c) => [c.item.scimId, c]));
  const waves = orderRenames(calls.map((c) => ({ id: c.item.scimId, from: c.hubUser.userName, to: c.item.renameTo! })), randomSuffix);
  /** Name (lower case) → the rename call whose user holds it in the hub now. */
  const holder = new Map(calls.map((c) => [c.hubUser.userName.toLowerCase(), c.item.scimId]));
  const failed = new Set<string>();
  for (const wave of waves) {
    // A step whose target is still held by one of ours (its rename failed) waits: never ask the hub for it.
    const steps = wave.filter((step) => {
      if (failed.has(step.id)) return false;
      const h = holder.get(step.userName.toLowerCase());
      if (h === undefined || h === step.id) return true;
      failed.add(step.id);
      const c = byId.get(step.id)!;
      const waiting = new DeviceHubError({ kind: "conflict", status: 409, code: "user_name_taken", message: `waits for another user of ours to give up "${step.userName}"` });
      recordFailure(ctx, out, c.item, { action: c.logAction, scimId: step.id }, waiting, true);
      return false;
    });
    const results = await hubCalls(ctx, steps, (step) => ctx.hub.updateUser(byId.get(step.id)!.hubUser.id, { userName: step.userName }));
    steps.forEach((step, k) => {
      const r = results[k]!;
      const c = byId.get(step.id)!;
      if (!r.ok) {
        failed.add(step.id);
        if (!("error" in r)) return;
        const input = { ...(c.item.action as Extract<UserAction, { kind: "update" }>).input, userName: step.userName };
        const taken = r.error.code === "user_name_taken";
        if (taken) rememberHolder(out, ctx, input, r.error.details);
        const holderRef = r.error.details?.["externalRef"];
        if (taken && typeof holderRef === "string") out.after.push(meetHolderStatement(ctx.db, ctx.tenantId, c.item.workId, holderRef, ctx.now()));
        recordFailure(ctx, out, c.item, { action: c.logAction, scimId: step.id }, explainHubRejection(r.error, input), taken && heldByOneOfOurs(r.error.details));
        return;
      }
      const freed = c.hubUser.userName.toLowerCase();
      holder.delete(freed);
      holder.set(r.value.userName.toLowerCase(), step.id);
      // Outside this chunk, a create or rename may wait for the name just given up.
      out.statements.push(wakeNameWaitersStatement(ctx.db, ctx.tenantId, [freed], ctx.now()));
      c.hubUser = r.value;
      if (step.final) {
        applied(out, ctx, c.item, r.value, c.version, c.logAction, "ok");
        return;
      }
      // A temporary name: the mirror follows the hub (not in sync yet: the final rename comes).
      out.statements.push(...upsertHubUsersStatements(ctx.db, ctx.tenantId, [
        { hubId: r.value.id, externalRef: r.value.externalRef, userNameLc: r.value.userName.toLowerCase(), syncedVersion: 0, active: r.value.active },
      ]));
      out.logs.push({ action: "user.renameTemporary", scimId: step.id, hubId: r.value.id, result: "ok", error: `renamed to "${r.value.userName}" to break a cycle of renames` });
    });
    if (ctx.halt) break;
  }
}
