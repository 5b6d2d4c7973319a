// The "users" phase: take due user items, plan each against the mirror, run the hub calls
// (creates in batches of ≤ 100, updates/deletes one each, ≤ 6 in flight) and commit outcomes,
// mirror changes and log entries in one batch per chunk of ≤ 500 users.
import { dropHubUsersStatements, upsertHubUsersStatements, type HubUserMirror } from "../storage/sync-mirror";
import { dueItemOf, dueUserItems, type DueItem } from "../storage/sync-items";
import {
  adoptHolderStatement, adoptionFinishedStatement, claimOwnershipStatement, endKeptNowStatement, keepOwnedStatement, ledgerCovers, recordOwnershipStatement, relinkOwnedStatements, releaseOwnershipStatement,
} from "../storage/sync-owned";
import { enqueueStatement } from "../storage/sync-work";
import { DeviceHubError } from "../hub/client";
import { HUB_LIMITS, type HubUser, type HubUserInput, type UserBatchItem } from "../hub/schemas";
import { chunk, hubCalls, type SyncContext } from "../engine/context";
import { explainHubRejection } from "../hub/hub-rejection";
import { holdDeletions } from "../engine/deletion-guard";
import { newOutcomes, outcomeStatements, recordFailure, type Outcomes } from "../engine/outcomes";
import { tally } from "../engine/cycle-state";
import { hubUserDiffers, planUser, type UserAction } from "../engine/plan";
import { runRenames, type RenameCall } from "./apply-renames";
import { wakeNameWaitersStatement } from "../storage/sync-renames";

const USER_CHUNK = 500;

export interface Item extends DueItem {
  scimId: string;
  action: UserAction;
  /** The userName the mirror says its hub user holds (lower case), if mapped. */
  hubUserNameLc: string | null;
  /** An update that changes the userName: the name goes in its own PATCH, ordered by apply-renames. */
  renameTo: string | null;
  /** A kept hub account of ours holding this user's userName (a create relinks it; a rename waits for it to go). */
  keptHolder: { hubId: string; scimId: string } | null;
}

const mirrorOf = (u: HubUser, syncedVersion: number): HubUserMirror => ({
  hubId: u.id,
  externalRef: u.externalRef,
  userNameLc: u.userName.toLowerCase(),
  syncedVersion,
  active: u.active,
});

/** Ours to change or delete: the ledger lists it, with this hub id or none recorded yet. */
const owns = ledgerCovers;

async function loadItems(ctx: SyncContext, held: boolean): Promise<Item[]> {
  const now = ctx.now();
  const keep = { graceDays: ctx.policy.deletedUserGraceDays, now };
  const rows = await dueUserItems(ctx.db, ctx.tenantId, now, USER_CHUNK, held, keep.graceDays > 0);
  return rows.map((r) => {
    const keptHolder = r.kept_holder === null ? null : (JSON.parse(r.kept_holder) as { hubId: string; scimId: string });
    return withRename({
      ...dueItemOf(r),
      scimId: r.scim_id,
      hubUserNameLc: r.hub_user_name_lc,
      renameTo: null,
      keptHolder,
    }, r.hub_user_name_lc, planUser({
      scimId: r.scim_id,
      doc: r.doc === null ? null : (JSON.parse(r.doc) as Record<string, unknown>),
      version: r.version,
      hubId: r.hub_id,
      syncedVersion: r.synced_version,
      hubActive: r.hub_active === null ? null : r.hub_active === 1,
      keptUntil: r.kept_until,
      keptHolder,
    }, ctx.userFields, keep));
  });
}

/** Note an update's rename (the mirror's name differs from SCIM's, ignoring case). */
function withRename(item: Omit<Item, "action">, hubUserNameLc: string | null, action: UserAction): Item {
  const renameTo = action.kind === "update" && hubUserNameLc !== null && action.input.userName.toLowerCase() !== hubUserNameLc ? action.input.userName : null;
  return { ...item, action, renameTo };
}

/** A mapped hub user the ledger does not list: never changed; the item is done, the log says why. */
function leaveForeign(out: Outcomes, item: Item, hubId: string | null, action: string) {
  out.done.push(item.workId);
  out.logs.push({ action, scimId: item.scimId, hubId, result: "foreign", error: "left alone: not created or adopted by this connector" });
}

/** A userName held by a user that is not ours: remember the holder, so SCIM can refuse the name. */
export function rememberHolder(out: Outcomes, ctx: SyncContext, input: HubUserInput, details: Record<string, unknown> | undefined) {
  const holder = details?.["userId"];
  if (typeof holder !== "string" || details?.["externalRef"] !== null) return;
  out.statements.push(...upsertHubUsersStatements(ctx.db, ctx.tenantId, [
    { hubId: holder, externalRef: null, userNameLc: input.userName.toLowerCase(), syncedVersion: 0, active: true },
  ]));
}

/**
 * A create refused because a hub-made account (no externalRef) holds the name, under policy
 * adopt: the admin allowed that account to be adopted, as the SCIM-time check would have done had
 * it reached the hub (it fell back to a mirror that had not seen the account yet). Ledger and
 * mirror take it as ours now; the item runs again at once as an update, which writes our
 * externalRef and SCIM's fields. Returns false when the policy or the holder rules it out.
 */
function adoptHolder(out: Outcomes, ctx: SyncContext, item: Item, input: HubUserInput, details: Record<string, unknown> | undefined): boolean {
  const holder = details?.["userId"];
  if (ctx.policy.hubConflict !== "adopt" || typeof holder !== "string" || details?.["externalRef"] !== null) return false;
  out.statements.push(
    adoptHolderStatement(ctx.db, ctx.tenantId, item.scimId, holder, ctx.now()),
    ...upsertHubUsersStatements(ctx.db, ctx.tenantId, [{ hubId: holder, externalRef: item.scimId, userNameLc: input.userName.toLowerCase(), syncedVersion: 0, active: true }]),
  );
  out.retryNow.push(item.workId);
  out.logs.push({ action: "user.adopt", scimId: item.scimId, hubId: holder, result: "pending", error: "the hub-made account holding this userName is adopted (policy adopt)" });
  // A sweep's users phase comes after its hub listing, which counted this account as foreign:
  // it is ours now, so the count the status shows must not keep it.
  if (ctx.cycle.kind !== "incremental" && ctx.cycle.counts.foreignUsers > 0) ctx.cycle.counts.foreignUsers--;
  return true;
}

export function applied(out: Outcomes, ctx: SyncContext, item: Item, user: HubUser, version: number, action: string, result: "ok" | "exists") {
  out.statements.push(...upsertHubUsersStatements(ctx.db, ctx.tenantId, [mirrorOf(user, version)]));
  if (action === "user.create") out.statements.push(recordOwnershipStatement(ctx.db, ctx.tenantId, "user", [{ scimId: item.scimId, hubId: user.id }], "created", ctx.now()));
  // An adopted hub user that now carries our externalRef: its adoption is finished.
  else if (user.externalRef === item.scimId) out.statements.push(adoptionFinishedStatement(ctx.db, ctx.tenantId, item.scimId, user.id));
  out.done.push(item.workId);
  out.logs.push({ action, scimId: item.scimId, hubId: user.id, result });
}

/** Would this action delete or deactivate a hub user (what the mass-delete guard weighs)? */
const deletes = (a: UserAction) => a.kind === "delete" || a.kind === "keep" || (a.kind === "update" && a.deactivate);

/** A kept account reactivated in the hub during its grace period: someone there took it over; it is no longer ours. */
function releaseKept(out: Outcomes, ctx: SyncContext, item: Item, hubId: string) {
  out.statements.push(
    ...dropHubUsersStatements(ctx.db, ctx.tenantId, { refs: [item.scimId] }),
    releaseOwnershipStatement(ctx.db, ctx.tenantId, "user", [item.scimId]),
  );
  out.done.push(item.workId);
  out.logs.push({ action: "user.delete", scimId: item.scimId, hubId, result: "foreign", error: "reactivated in the hub during its grace period: left in place, no longer managed" });
}

export async function usersStep(ctx: SyncContext): Promise<boolean> {
  const loaded = await loadItems(ctx, ctx.cycle.cursor === "held");
  if (loaded.length === 0) return false;
  tally(ctx.cycle, loaded.length);
  const guard = await holdDeletions(ctx, "user", loaded.some((i) => deletes(i.action)));
  // Held deletions stay queued, untouched, until the admin confirms them.
  const items = guard.held ? loaded.filter((i) => !deletes(i.action) || i.deleteConfirmed) : loaded;
  const out = newOutcomes();
  out.statements.push(...guard.statements);
  const creates = items.filter((i) => i.action.kind === "create");
  const singles: Item[] = [];
  // A relink takes the kept account over: the deleted user's own item in this chunk (keep it,
  // delete it) has nothing left to do.
  const relinked = new Set(items.flatMap((i) => (i.action.kind === "relink" ? [i.action.hubId] : [])));
  for (const i of items) {
    const a = i.action;
    if (a.kind === "noop") out.done.push(i.workId);
    else if ((a.kind === "keep" || a.kind === "delete" || a.kind === "release") && relinked.has(a.hubId)) out.done.push(i.workId);
    else if ((a.kind === "update" || a.kind === "delete" || a.kind === "keep" || a.kind === "release") && !owns(i, a.hubId)) {
      leaveForeign(out, i, a.hubId, a.kind === "update" ? "user.update" : a.kind === "keep" ? "user.deactivate" : "user.delete");
    } else if (a.kind === "release") releaseKept(out, ctx, i, a.hubId);
    else if (a.kind !== "create") singles.push(i);
  }
  // A rename to the name of a kept account of ours (not a re-create: never a relink): the kept
  // account's grace period ends now, so it is deleted (weighed by the guard) and frees the name.
  const makeWay = items.flatMap((i) => (i.renameTo !== null && i.keptHolder ? [i.keptHolder.scimId] : []));
  if (makeWay.length) out.statements.push(endKeptNowStatement(ctx.db, ctx.tenantId, makeWay, ctx.now()), enqueueStatement(ctx.db, ctx.tenantId, "user", makeWay, ctx.now()));
  // Claim before sending: a create whose answer is lost is still known to be ours.
  if (creates.length) await ctx.commit([claimOwnershipStatement(ctx.db, ctx.tenantId, "user", creates.map((i) => i.scimId), ctx.now())]);
  // Updates (renames away) and deletes first, so a userName they free can be taken by a create
  // of the same cycle (delete-then-create of one name converges without parking).
  const renames = await runSingles(ctx, out, singles.map((item) => ({ item, hubId: null })));
  // Renames after every other field went through (a contested name never blocks active=false),
  // ordered so the hub is never asked for a name one of ours still holds.
  await runRenames(ctx, out, renames);
  const followUps = await runCreates(ctx, out, creates);
  await runSingles(ctx, out, followUps);
  await ctx.commit(outcomeStatements(ctx.db, ctx, out));
  return (loaded.length === USER_CHUNK || out.retryNow.length > 0) && !ctx.halt;
}

/** Creates in batches of ≤ 100. An existing user (same externalRef) comes back unchanged: PATCH it after. */
async function runCreates(ctx: SyncContext, out: Outcomes, creates: Item[]): Promise<{ item: Item; hubId: string | null }[]> {
  const followUps: { item: Item; hubId: string | null }[] = [];
  const batches = chunk(creates, HUB_LIMITS.maxUserBatch);
  const batchResults = await hubCalls(ctx, batches, (b) => ctx.hub.createUsers(b.map((i) => (i.action as { input: HubUserInput }).input)));
  batches.forEach((batch, bi) => {
    const r = batchResults[bi]!;
    if (!r.ok) {
      if ("error" in r) for (const item of batch) recordFailure(ctx, out, item, { action: "user.create", scimId: item.scimId }, r.error);
      return;
    }
    r.value.forEach((res: UserBatchItem, k) => {
      const item = batch[res.index] ?? batch[k]!;
      const action = item.action as Extract<UserAction, { kind: "create" }>;
      if (res.ok) {
        if (!res.created && hubUserDiffers(res.user, action.input)) {
          out.statements.push(recordOwnershipStatement(ctx.db, ctx.tenantId, "user", [{ scimId: item.scimId, hubId: res.user.id }], "created", ctx.now()));
          followUps.push({ item, hubId: res.user.id });
        } else {
          applied(out, ctx, item, res.user, action.version, "user.create", res.created ? "ok" : "exists");
          ctx.cycle.counts.usersCreated++;
        }
        return;
      }
      if (res.code === "user_name_taken" && adoptHolder(out, ctx, item, action.input, res.details)) return;
      if (res.code === "user_name_taken") rememberHolder(out, ctx, action.input, res.details);
      const error = explainHubRejection(
        new DeviceHubError({ kind: res.status === 409 ? "conflict" : "badRequest", status: res.status, code: res.code, message: res.message, details: res.details }),
        action.input,
      );
      recordFailure(ctx, out, item, { action: "user.create", scimId: item.scimId }, error, heldByOneOfOurs(res.details));
    });
  });
  return followUps;
}

/** The holder of a taken name carries an externalRef: likely one of ours about to move; retry, do not park. */
export const heldByOneOfOurs = (details: Record<string, unknown> | undefined) => typeof details?.["externalRef"] === "string";

/**
 * Updates (absolute values, safe to repeat), deletes, and lookups for never-mapped deletes. An
 * update that renames is sent without its userName; it is returned for runRenames.
 */
async function runSingles(ctx: SyncContext, out: Outcomes, calls: { item: Item; hubId: string | null }[]): Promise<RenameCall[]> {
  const renames: RenameCall[] = [];
  const c = ctx.cycle.counts;
  const results = await hubCalls(ctx, calls, async ({ item, hubId }) => {
    const a = item.action;
    switch (a.kind) {
      case "create":
      case "update": {
        // externalRef included: an adopted hub user gets ours (unchanged for users we created).
        const { userName: _renamedLater, ...rest } = a.input;
        const patch = item.renameTo !== null ? rest : a.input;
        return { user: await ctx.hub.updateUser(hubId ?? (a as { hubId: string }).hubId, patch), gone: null, foreign: null };
      }
      case "relink":
        // The whole user (the new externalRef, active and SCIM's fields): the kept account is the new user's now.
        return { user: await ctx.hub.updateUser(a.hubId, a.input), gone: null, foreign: null };
      case "keep":
        return { user: await ctx.hub.updateUser(a.hubId, { active: false }), gone: null, foreign: null };
      case "release":
        return { user: null, gone: null, foreign: null };
      case "delete":
        return { user: null, gone: await ctx.hub.deleteUser(a.hubId), foreign: null };
      case "lookupDelete": {
        const found = await ctx.hub.findUserByExternalRef(item.scimId);
        // A user with our externalRef that the ledger does not list is not ours to delete.
        if (found && !owns(item, found.id)) return { user: null, gone: null, foreign: found.id };
        return { user: null, gone: found ? await ctx.hub.deleteUser(found.id) : ("alreadyGone" as const), foreign: null };
      }
      case "noop":
        return { user: null, gone: null, foreign: null };
    }
  });
  calls.forEach(({ item }, k) => {
    const r = results[k]!;
    const a = item.action;
    const logAction = a.kind === "create" ? "user.create" : a.kind === "update" ? (a.deactivate ? "user.deactivate" : "user.update")
      : a.kind === "relink" ? "user.relink" : a.kind === "keep" ? "user.deactivate" : "user.delete";
    if (!r.ok) {
      if (!("error" in r)) return;
      // The kept account is gone from the hub: a relink creates the user instead (right away);
      // a keep has nothing left to keep.
      if (r.error.kind === "notFound" && (a.kind === "relink" || a.kind === "keep")) {
        const deletedScimId = a.kind === "relink" ? a.fromScimId : item.scimId;
        out.statements.push(
          ...dropHubUsersStatements(ctx.db, ctx.tenantId, { hubIds: [a.hubId] }),
          releaseOwnershipStatement(ctx.db, ctx.tenantId, "user", [deletedScimId]),
        );
        if (a.kind === "relink") out.retryNow.push(item.workId);
        else out.done.push(item.workId);
        out.logs.push({ action: logAction, scimId: item.scimId, hubId: a.hubId, result: a.kind === "keep" ? "alreadyGone" : "failed", error: "the kept hub account is gone from the hub" });
        return;
      }
      // The hub lost the user behind our back: forget the mapping and create it again right away.
      if (r.error.kind === "notFound" && a.kind === "update") {
        out.statements.push(...dropHubUsersStatements(ctx.db, ctx.tenantId, { refs: [item.scimId] }));
        out.retryNow.push(item.workId);
        out.logs.push({ action: logAction, scimId: item.scimId, hubId: a.hubId, result: "failed", error: "not found in the hub; recreating" });
        return;
      }
      if (r.error.code === "user_name_taken" && a.kind === "create" && adoptHolder(out, ctx, item, a.input, r.error.details)) return;
      if (r.error.code === "user_name_taken" && (a.kind === "create" || a.kind === "update" || a.kind === "relink")) rememberHolder(out, ctx, a.input, r.error.details);
      const error = a.kind === "create" || a.kind === "update" || a.kind === "relink" ? explainHubRejection(r.error, a.input) : r.error;
      recordFailure(ctx, out, item, { action: logAction, scimId: item.scimId }, error, r.error.code === "user_name_taken" && heldByOneOfOurs(r.error.details));
      return;
    }
    if (r.value.foreign) return leaveForeign(out, item, r.value.foreign, "user.delete");
    if (r.value.user && a.kind === "keep") {
      // Deactivated, kept until the grace period ends (the ledger says until when).
      out.statements.push(
        ...upsertHubUsersStatements(ctx.db, ctx.tenantId, [mirrorOf(r.value.user, 0)]),
        keepOwnedStatement(ctx.db, ctx.tenantId, item.scimId, a.hubId, a.until),
      );
      out.done.push(item.workId);
      out.logs.push({ action: logAction, scimId: item.scimId, hubId: a.hubId, result: "ok" });
      c.usersDeactivated++;
      return;
    }
    if (r.value.user && a.kind === "relink") {
      // The ledger moves first, so the mirror row (mapped by the ledger at commit) is the new user's.
      out.statements.push(
        ...relinkOwnedStatements(ctx.db, ctx.tenantId, a.fromScimId, item.scimId, a.hubId),
        ...dropHubUsersStatements(ctx.db, ctx.tenantId, { refs: [a.fromScimId] }),
        ...upsertHubUsersStatements(ctx.db, ctx.tenantId, [mirrorOf(r.value.user, a.version)]),
      );
      out.done.push(item.workId);
      out.logs.push({ action: logAction, scimId: item.scimId, hubId: a.hubId, result: "ok" });
      c.usersUpdated++;
      return;
    }
    if (r.value.user && a.kind === "update" && item.renameTo !== null) {
      // Every field but the name is in the hub; the mirror learns them at the final rename.
      renames.push({ item, hubUser: r.value.user, version: a.version, logAction });
      if (a.deactivate) c.usersDeactivated++;
      else c.usersUpdated++;
    } else if (r.value.user && (a.kind === "create" || a.kind === "update")) {
      applied(out, ctx, item, r.value.user, a.version, logAction, "ok");
      if (a.kind === "create") c.usersCreated++;
      else if (a.deactivate) c.usersDeactivated++;
      else c.usersUpdated++;
    } else if (r.value.gone) {
      // The name is free in the hub: a create or rename of ours waiting for it goes at once.
      if (item.hubUserNameLc) out.statements.push(wakeNameWaitersStatement(ctx.db, ctx.tenantId, [item.hubUserNameLc], ctx.now()));
      out.statements.push(
        ...dropHubUsersStatements(ctx.db, ctx.tenantId, { refs: [item.scimId] }),
        releaseOwnershipStatement(ctx.db, ctx.tenantId, "user", [item.scimId]),
      );
      out.done.push(item.workId);
      out.logs.push({ action: "user.delete", scimId: item.scimId, hubId: a.kind === "delete" ? a.hubId : null, result: r.value.gone === "deleted" ? "ok" : "alreadyGone" });
      if (r.value.gone === "deleted") c.usersDeleted++;
    }
  });
  return renames;
}
