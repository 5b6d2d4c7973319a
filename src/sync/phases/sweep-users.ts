// Full-sweep steps for users: cover the outbox, re-read every hub user into the mirror, drop mirror
// rows the hub no longer has, and queue every SCIM user the hub does not match. Only users in the
// ownership ledger are mapped (and deleted when gone from SCIM); all others are foreign: mirrored
// as name holders, counted and logged, never changed. The hub writes happen in the "users" phase.
import { insertLogStatement } from "../storage/sync-log";
import { dropHubUsersStatements, upsertHubUsersStatements, type HubUserMirror } from "../storage/sync-mirror";
import { isOwned, ownedByHubIds, ownedByRefs } from "../storage/sync-owned";
import { lastKeyOf, queueUnsyncedUsers, requeueCuredParkedStatement, scimUsersByIds, scimUsersOwningHubIds, sweepStartStatements, unseenHubUsers } from "../storage/sync-sweep";
import { enqueueStatement } from "../storage/sync-work";
import { HUB_LIMITS, type HubUser } from "../hub/schemas";
import type { SyncContext } from "../engine/context";
import { tally } from "../engine/cycle-state";
import { hubUserDiffers, hubUserFromScim } from "../engine/plan";
import { sweepRead } from "./sweep-read";
import { runParts } from "../../platform/d1/batch";

export const ENQUEUE_CHUNK = 2000;

/** Everything in the outbox so far is covered by this sweep: skip it (deleted in bounded chunks). */
export async function sweepStartStep(ctx: SyncContext): Promise<boolean> {
  await ctx.commit(sweepStartStatements(ctx.db, ctx.tenantId, ctx.now()));
  return false;
}

/** One log entry per page for the foreign objects it held: what was left alone, and why. */
export function foreignLog(action: string, hubIds: string[]) {
  const shown = hubIds.slice(0, 20).join(", ");
  return {
    action, hubId: hubIds[0] ?? null, result: "foreign" as const, count: hubIds.length,
    error: `left alone: not created or adopted by this connector (${shown}${hubIds.length > 20 ? ", …" : ""})`,
  };
}

export async function hubUsersStep(ctx: SyncContext): Promise<boolean> {
  const page = await sweepRead(ctx, () => ctx.hub.listUsers({ cursor: ctx.cycle.cursor, limit: HUB_LIMITS.maxPage }));
  if (page === null) return false;
  if (page === "restart") {
    ctx.cycle.cursor = null;
    ctx.cycle.counts.foreignUsers = 0;
    return true;
  }
  const { items, nextCursor } = page;
  tally(ctx.cycle, items.length);
  const refs = items.flatMap((u) => (u.externalRef ? [u.externalRef] : []));
  const hubIds = items.map((u) => u.id);
  const { ledgerRows, byHubRows, scimByRef, scimByHubId } = await runParts(ctx.db, {
    ledgerRows: ownedByRefs(ctx.db, ctx.tenantId, "user", refs),
    byHubRows: ownedByHubIds(ctx.db, ctx.tenantId, "user", hubIds),
    scimByRef: scimUsersByIds(ctx.db, ctx.tenantId, refs),
    scimByHubId: scimUsersOwningHubIds(ctx.db, ctx.tenantId, hubIds),
  });
  const ledger = new Map(ledgerRows.map((r) => [r.scim_id, r.hub_id]));
  // The ledger's hub id says ours whatever externalRef the hub shows right now (an adoption whose
  // ref has not reached the hub yet, a ref lost in the hub): never foreign.
  const ledgerByHub = new Map(byHubRows.map((r) => [r.hub_id, r.scim_id]));
  const ownerOf = (u: HubUser): string | null => ledgerByHub.get(u.id) ?? (isOwned(ledger, u.externalRef, u.id) ? u.externalRef : null);
  const scim = new Map([...scimByRef, ...scimByHubId].map((r) => [r.id, r]));
  const sweepId = ctx.cycle.sweepId;
  const orphans: string[] = [];
  const foreign: string[] = [];
  const mirror = items.map((u: HubUser): HubUserMirror => {
    const owner = ownerOf(u);
    const base = { hubId: u.id, userNameLc: u.userName.toLowerCase(), active: u.active, seenSweep: sweepId };
    // Not ours, whatever its externalRef says: a name holder only, never mapped to a SCIM user.
    if (owner === null) {
      foreign.push(u.id);
      return { ...base, externalRef: null, syncedVersion: 0 };
    }
    const own = scim.get(owner);
    if (!own) orphans.push(owner);
    // Matching fields (our externalRef included): in sync at this version; anything else (drift,
    // an unfinished adoption) is rewritten by the users phase.
    const inSync = own !== undefined && !hubUserDiffers(u, hubUserFromScim(own.id, JSON.parse(own.doc) as Record<string, unknown>, ctx.userFields));
    return { ...base, externalRef: owner, syncedVersion: inSync ? own.version : 0 };
  });
  ctx.cycle.cursor = nextCursor;
  ctx.cycle.counts.foreignUsers += foreign.length;
  await ctx.commit([
    ...upsertHubUsersStatements(ctx.db, ctx.tenantId, mirror),
    // Ours in the hub but gone from SCIM: the users phase deletes them.
    enqueueStatement(ctx.db, ctx.tenantId, "user", orphans, ctx.now()),
    ...(foreign.length ? [insertLogStatement(ctx.db, ctx.tenantId, ctx.cycle.id, ctx.now(), [foreignLog("user.foreign", foreign)])] : []),
  ]);
  return nextCursor !== null;
}

/** Mirror rows this sweep did not see are gone from the hub; their memberships with them. */
export async function hubUsersStaleStep(ctx: SyncContext): Promise<boolean> {
  const stale = await unseenHubUsers(ctx.db, ctx.tenantId, ctx.cycle.sweepId ?? "", 500);
  if (stale.length === 0) return false;
  await ctx.commit(dropHubUsersStatements(ctx.db, ctx.tenantId, { hubIds: stale.map((r) => r.hub_id) }));
  return stale.length === 500;
}

/**
 * Queue SCIM users the hub lacks or holds at another version, in keyset chunks. The first chunk
 * also re-queues parked items whose cause the refreshed mirror shows is gone.
 */
export async function scimUsersStep(ctx: SyncContext): Promise<boolean> {
  const now = ctx.now();
  const chunk = queueUnsyncedUsers(ctx.db, ctx.tenantId, ctx.cycle.cursor ?? "", ENQUEUE_CHUNK, now);
  const cure = ctx.cycle.cursor === null ? [requeueCuredParkedStatement(ctx.db, ctx.tenantId, now)] : [];
  const results = await ctx.commitParts({ ...chunk, cure });
  ctx.cycle.cursor = lastKeyOf(results.lastKey);
  return ctx.cycle.cursor !== null;
}
