// Full-sweep steps for groups and memberships: re-read our hub groups into the mirror, drop the
// ones the hub lost, queue SCIM groups the hub lacks or names differently, re-read every hub
// membership into the mirror (page by page, in SQL), and queue a whole-membership diff per group.
import type { BatchItem } from "drizzle-orm/batch";
import { insertLogStatement } from "../storage/sync-log";
import {
  deleteStaleHubMembersStatement, dropHubGroupsStatements, sweepHubMembersStatement, upsertHubGroupsStatement, type HubGroupMirror,
} from "../storage/sync-mirror";
import { isOwned, ownedByRefs } from "../storage/sync-owned";
import { queueMembershipDiffs, queueUnsyncedGroups, scimGroupsByIds, sweptGroups, unseenHubGroups } from "../storage/sync-sweep";
import { enqueueStatement } from "../storage/sync-work";
import { HUB_LIMITS, type Page } from "../hub/schemas";
import { CycleStop, describe, hubCalls, type SyncContext } from "../engine/context";
import { ENQUEUE_CHUNK, foreignLog } from "./sweep-users";
import { sweepRead } from "./sweep-read";
import { tally } from "../engine/cycle-state";

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
  const [scimRows, ledgerRows] = await ctx.db.batch([scimGroupsByIds(ctx.db, ctx.tenantId, refs), ownedByRefs(ctx.db, ctx.tenantId, "group", refs)]);
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
  ctx.cycle.cursor = chunk.lastKeyOf(await ctx.commit([...chunk.statements]));
  return ctx.cycle.cursor !== null;
}

const GROUPS_PER_MEMBER_STEP = 12;
const FLUSH_STATEMENTS = 20;
const STALE_CHUNK = 5000;

/** Re-read the members of the next groups (mirror groups seen in this sweep) into the mirror. */
export async function hubMembersStep(ctx: SyncContext): Promise<boolean> {
  const sweepId = ctx.cycle.sweepId ?? "";
  const groups = await sweptGroups(ctx.db, ctx.tenantId, sweepId, ctx.cycle.cursor ?? "", GROUPS_PER_MEMBER_STEP);
  if (groups.length === 0) return false;
  let pendingWrites: BatchItem<"sqlite">[] = [];
  const flush = async (force: boolean) => {
    if (pendingWrites.length === 0 || (!force && pendingWrites.length < FLUSH_STATEMENTS)) return;
    const writes = pendingWrites;
    pendingWrites = [];
    await ctx.commit(writes);
  };
  const lost: string[] = [];
  const results = await hubCalls(ctx, groups.filter((g) => g.member_count > 0), async (g) => {
    let cursor: string | null = null;
    do {
      let page: Page<{ userId: string }>;
      try {
        page = await ctx.hub.listGroupMembers(g.hub_id, { cursor, limit: HUB_LIMITS.maxPage });
      } catch (e) {
        if ((e as { kind?: string }).kind === "notFound") {
          lost.push(g.group_id);
          return;
        }
        throw e;
      }
      if (page.items.length) pendingWrites.push(sweepHubMembersStatement(ctx.db, ctx.tenantId, g.group_id, page.items.map((m) => m.userId), sweepId));
      await flush(false);
      cursor = page.nextCursor;
    } while (cursor !== null && !ctx.halt);
  });
  if (ctx.halt || results.some((r) => !r.ok)) {
    // Partial pages were written (idempotent); the same groups are re-read on resume.
    const failed = results.find((r): r is Extract<typeof r, { error: unknown }> => !r.ok && "error" in r);
    const contract = failed && !["server", "timeout", "network"].includes(failed.error.kind);
    ctx.halt ??= new CycleStop(contract ? "hubContract" : "hubUnavailable", `listing group members failed${failed ? `: ${describe(failed.error)}` : ""}`);
    await flush(true);
    return false;
  }
  const done = groups.filter((g) => !lost.includes(g.group_id));
  let staleFor = done.map((g) => g.group_id);
  ctx.cycle.cursor = groups.at(-1)!.group_id;
  const lostStatements = lost.flatMap((id) => [
    ...dropHubGroupsStatements(ctx.db, ctx.tenantId, [id], ctx.now()),
    enqueueStatement(ctx.db, ctx.tenantId, "group", [id], ctx.now(), { restart: true }),
  ]);
  pendingWrites.push(...lostStatements);
  // Mirror rows the hub did not list are gone there; repeat while a group had more than a chunk.
  while (staleFor.length) {
    const deletes = staleFor.map((id) => deleteStaleHubMembersStatement(ctx.db, ctx.tenantId, id, sweepId, STALE_CHUNK));
    const writes = [...pendingWrites, ...deletes];
    pendingWrites = [];
    const res = (await ctx.commit(writes)) as { meta?: { changes?: number } }[];
    const offset = writes.length - deletes.length;
    staleFor = staleFor.filter((_, i) => (res[offset + i]?.meta?.changes ?? 0) >= STALE_CHUNK);
  }
  await flush(true);
  return groups.length === GROUPS_PER_MEMBER_STEP;
}

/** Queue a whole-membership diff for every mapped group (keyset chunks). */
export async function membersAllEnqueueStep(ctx: SyncContext): Promise<boolean> {
  const chunk = queueMembershipDiffs(ctx.db, ctx.tenantId, ctx.cycle.cursor ?? "", ENQUEUE_CHUNK, ctx.now());
  ctx.cycle.cursor = chunk.lastKeyOf(await ctx.commit([...chunk.statements]));
  return ctx.cycle.cursor !== null;
}
