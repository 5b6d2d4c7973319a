// Full-sweep steps for groups and memberships: re-read our hub groups into the mirror, drop the
// ones the hub lost, queue SCIM groups the hub lacks or names differently, re-read every hub
// membership into the mirror (page by page, in SQL), and queue a whole-membership diff per group.
import type { BatchItem } from "drizzle-orm/batch";
import { insertLogStatement } from "../storage/sync-log";
import {
  deleteStaleHubMembersStatement, dropHubGroupsStatements, sweepHubMembersStatement, upsertHubGroupsStatement, type HubGroupMirror,
} from "../storage/sync-mirror";
import { isOwned, ownedByRefs } from "../storage/sync-owned";
import { lastKeyOf, queueMembershipDiffs, queueUnsyncedGroups, scimGroupsByIds, sweptGroups, unseenHubGroups } from "../storage/sync-sweep";
import { enqueueStatement } from "../storage/sync-work";
import { HUB_LIMITS, type Page } from "../hub/schemas";
import { CycleStop, describe, hubCalls, type CallResult, type SyncContext } from "../engine/context";
import { ENQUEUE_CHUNK, foreignLog } from "./sweep-users";
import { sweepRead } from "./sweep-read";
import { tally, type CycleState } from "../engine/cycle-state";
import { runParts } from "../../platform/d1/batch";

export async function hubGroupsStep(ctx: SyncContext): Promise<boolean> {
  const page = await sweepRead(ctx, () => ctx.hub.listGroups({ cursor: ctx.cycle.cursor, limit: HUB_LIMITS.maxPage }));
  if (page === null) return false;
  if (page === "restart") {
    ctx.cycle.cursor = null;
    ctx.cycle.counts.foreignGroups = 0;
    return true;
  }
  const { items, nextCursor } = page;
  tally(ctx.cycle, items.length);
  const refs = items.flatMap((g) => (g.externalRef ? [g.externalRef] : []));
  const { scimRows, ledgerRows } = await runParts(ctx.db, {
    scimRows: scimGroupsByIds(ctx.db, ctx.tenantId, refs),
    ledgerRows: ownedByRefs(ctx.db, ctx.tenantId, "group", refs),
  });
  const scim = new Map(scimRows.map((r) => [r.id, r.display_name]));
  const ledger = new Map(ledgerRows.map((r) => [r.scim_id, r.hub_id]));
  // Only groups in the ownership ledger are ours; any other (hub-made, another integration's,
  // an externalRef we have no record of) is left alone and reported.
  const ours = items.filter((g) => isOwned(ledger, g.externalRef, g.id));
  const foreign = items.filter((g) => !ours.includes(g)).map((g) => g.id);
  const mirror: HubGroupMirror[] = ours.map((g) => ({
    groupId: g.externalRef!, hubId: g.id, name: g.name, memberCount: g.memberCount, seenSweep: ctx.cycle.sweepId,
  }));
  // Gone from SCIM (delete) or renamed in the hub (rename back): the groups phase does it.
  const fix = ours.filter((g) => scim.get(g.externalRef!) !== g.name).map((g) => g.externalRef!);
  ctx.cycle.cursor = nextCursor;
  ctx.cycle.counts.foreignGroups += foreign.length;
  await ctx.commit([
    ...(mirror.length ? [upsertHubGroupsStatement(ctx.db, ctx.tenantId, mirror)] : []),
    enqueueStatement(ctx.db, ctx.tenantId, "group", fix, ctx.now()),
    ...(foreign.length ? [insertLogStatement(ctx.db, ctx.tenantId, ctx.cycle.id, ctx.now(), [foreignLog("group.foreign", foreign)])] : []),
  ]);
  return nextCursor !== null;
}

export async function hubGroupsStaleStep(ctx: SyncContext): Promise<boolean> {
  const stale = await unseenHubGroups(ctx.db, ctx.tenantId, ctx.cycle.sweepId ?? "", 500);
  if (stale.length === 0) return false;
  await ctx.commit(dropHubGroupsStatements(ctx.db, ctx.tenantId, stale.map((r) => r.group_id), ctx.now()));
  return stale.length === 500;
}

export async function scimGroupsStep(ctx: SyncContext): Promise<boolean> {
  const chunk = queueUnsyncedGroups(ctx.db, ctx.tenantId, ctx.cycle.cursor ?? "", ENQUEUE_CHUNK, ctx.now());
  ctx.cycle.cursor = lastKeyOf((await ctx.commitParts(chunk)).lastKey);
  return ctx.cycle.cursor !== null;
}

const GROUPS_PER_MEMBER_STEP = 12;
const STALE_CHUNK = 5000;

type MemberPage = Page<{ userId: string }>;
/** One member page read: the page, the group gone from the hub, its cursor refused, or the run halted. */
type MemberRead = MemberPage | "lost" | "restart" | null;

/** Read one page of a group's members; a 404 means the hub lost the group. */
async function readMemberPage(ctx: SyncContext, hubId: string, cursor: string | null): Promise<MemberRead> {
  const [r] = await hubCalls(ctx, [hubId], (id) => ctx.hub.listGroupMembers(id, { cursor, limit: HUB_LIMITS.maxPage }));
  return memberReadOf(ctx, r);
}

function memberReadOf(ctx: SyncContext, r: CallResult<MemberPage> | undefined): MemberRead {
  if (r?.ok) return r.value;
  if (!r || !("error" in r)) return null; // skipped: the run is halted (budget, 429, 401)
  if (r.error.kind === "notFound") return "lost";
  if (r.error.code === "invalid_cursor") return "restart";
  const contract = !["server", "timeout", "network"].includes(r.error.kind);
  ctx.halt ??= new CycleStop(contract ? "hubContract" : "hubUnavailable", `listing group members failed: ${describe(r.error)}`);
  return null;
}

/**
 * Re-read hub memberships into the mirror, in slices that fit any invocation: groups after the
 * phase cursor are read one page each (≤ 6 in flight); a group with more pages becomes the
 * cycle's `memberPage` and is then read one page per step, each page committed with the cursor
 * of the next, so a group of 400,000 members is swept across as many invocations as it needs
 * and a run cut by its budget resumes at the page it had not saved yet.
 */
export async function hubMembersStep(ctx: SyncContext): Promise<boolean> {
  if (ctx.cycle.memberStale?.length) return staleStep(ctx, ctx.cycle.memberStale);
  const current = ctx.cycle.memberPage;
  if (current) return continueGroup(ctx, current);
  const sweepId = ctx.cycle.sweepId ?? "";
  const groups = await sweptGroups(ctx.db, ctx.tenantId, sweepId, ctx.cycle.cursor ?? "", GROUPS_PER_MEMBER_STEP);
  if (groups.length === 0) return false;
  const listed = groups.filter((g) => g.member_count > 0);
  const results = await hubCalls(ctx, listed, (g) => ctx.hub.listGroupMembers(g.hub_id, { limit: HUB_LIMITS.maxPage }));
  const writes: BatchItem<"sqlite">[] = [];
  const complete: string[] = [];
  const lost: string[] = [];
  let lastDone: string | null = null;
  let next: CycleState["memberPage"];
  // In group order: every group before the first unfinished one is done; that one goes on page by
  // page (its first page is saved now); groups after it are read again later (idempotent).
  for (const g of groups) {
    const i = listed.indexOf(g);
    const read: MemberRead = i < 0 ? { items: [], nextCursor: null } : memberReadOf(ctx, results[i]);
    if (read === null) break;
    if (read === "restart") {
      next = { groupId: g.group_id, hubId: g.hub_id, page: null };
      break;
    }
    if (read === "lost") lost.push(g.group_id);
    else {
      if (read.items.length) writes.push(sweepHubMembersStatement(ctx.db, ctx.tenantId, g.group_id, read.items.map((m) => m.userId), sweepId));
      tally(ctx.cycle, read.items.length);
      if (read.nextCursor !== null) {
        next = { groupId: g.group_id, hubId: g.hub_id, page: read.nextCursor };
        break;
      }
      complete.push(g.group_id);
    }
    lastDone = g.group_id;
  }
  await finishGroups(ctx, writes, complete, lost, () => {
    if (lastDone !== null) ctx.cycle.cursor = lastDone;
    ctx.cycle.memberPage = next;
  });
  return !ctx.halt && (next !== undefined || ctx.cycle.memberStale !== undefined || groups.length === GROUPS_PER_MEMBER_STEP);
}

/** The next page of the group being read; its last page finishes the group. */
async function continueGroup(ctx: SyncContext, current: NonNullable<CycleState["memberPage"]>): Promise<boolean> {
  const read = await readMemberPage(ctx, current.hubId, current.page);
  if (read === null) return false;
  if (read === "restart") {
    // The hub no longer knows the cursor (it expired between invocations): read the group again.
    ctx.cycle.memberPage = { ...current, page: null };
    await ctx.commit([]);
    return true;
  }
  const writes: BatchItem<"sqlite">[] = [];
  if (read !== "lost" && read.items.length) {
    writes.push(sweepHubMembersStatement(ctx.db, ctx.tenantId, current.groupId, read.items.map((m) => m.userId), ctx.cycle.sweepId ?? ""));
    tally(ctx.cycle, read.items.length);
  }
  if (read !== "lost" && read.nextCursor !== null) {
    ctx.cycle.memberPage = { ...current, page: read.nextCursor };
    await ctx.commit(writes);
    return true;
  }
  await finishGroups(ctx, writes, read === "lost" ? [] : [current.groupId], read === "lost" ? [current.groupId] : [], () => {
    ctx.cycle.cursor = current.groupId;
    ctx.cycle.memberPage = undefined;
  });
  return true;
}

/**
 * Commit a slice in one batch: its member pages, the groups the hub lost (dropped and queued for
 * recreation) and, for groups whose listing is complete, the first chunk of mirror rows the hub
 * did not list (gone there), with the checkpoint moved past these groups (`advance`). Groups with
 * more stale rows than a chunk stay in the checkpoint (`memberStale`) until the next steps have
 * removed the rest, so no run can move on and leave them behind.
 */
async function finishGroups(ctx: SyncContext, writes: BatchItem<"sqlite">[], complete: string[], lost: string[], advance: () => void) {
  advance();
  ctx.cycle.memberStale = complete.length ? complete : undefined;
  const deletes = staleDeletes(ctx, complete);
  const res = await ctx.commitParts({
    writes,
    lost: lost.flatMap((id) => [
      ...dropHubGroupsStatements(ctx.db, ctx.tenantId, [id], ctx.now()),
      enqueueStatement(ctx.db, ctx.tenantId, "group", [id], ctx.now(), { restart: true }),
    ]),
    deletes,
  });
  keepUnfinishedStale(ctx, complete, res.deletes);
}

const staleDeletes = (ctx: SyncContext, groupIds: string[]) =>
  groupIds.map((id) => deleteStaleHubMembersStatement(ctx.db, ctx.tenantId, id, ctx.cycle.sweepId ?? "", STALE_CHUNK));

/** Groups whose stale delete filled a whole chunk have more: they stay in `memberStale` (saved by the next commit). */
function keepUnfinishedStale(ctx: SyncContext, groupIds: string[], results: unknown[]) {
  const more = groupIds.filter((_, i) => ((results[i] as { meta?: { changes?: number } } | undefined)?.meta?.changes ?? 0) >= STALE_CHUNK);
  ctx.cycle.memberStale = more.length ? more : undefined;
}

/** The next chunk of stale mirror rows of groups whose listing is complete. */
async function staleStep(ctx: SyncContext, groupIds: string[]): Promise<boolean> {
  keepUnfinishedStale(ctx, groupIds, await ctx.commit(staleDeletes(ctx, groupIds)));
  return true;
}

/** Queue a whole-membership diff for every mapped group (keyset chunks). */
export async function membersAllEnqueueStep(ctx: SyncContext): Promise<boolean> {
  const chunk = queueMembershipDiffs(ctx.db, ctx.tenantId, ctx.cycle.cursor ?? "", ENQUEUE_CHUNK, ctx.now());
  ctx.cycle.cursor = lastKeyOf((await ctx.commitParts(chunk)).lastKey);
  return ctx.cycle.cursor !== null;
}
