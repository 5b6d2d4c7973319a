// Whole-membership items ("groupMembership"): diff a group's SCIM members against the mirror in keyset
// chunks of ≤ 1,000 per direction (SQL only, never the whole group in memory), then one add and
// one remove call per group. The cursor lives in the work item, so a 100k group spans steps.
import type { BatchItem } from "drizzle-orm/batch";
import { runParts } from "../../platform/d1/batch";
import { dueMembershipDiffs, membershipDiffReads, type DiffRow } from "../storage/sync-member-items";
import { deleteHubMembersStatement, dropHubGroupsStatements, dropHubUsersStatements, insertHubMembersStatement } from "../storage/sync-mirror";
import { enqueueStatement, pendingMembersStatement, setCursorStatement } from "../storage/sync-work";
import { HUB_LIMITS } from "../hub/schemas";
import { hubCalls, type MemberBatchResult, type SyncContext } from "../engine/context";
import { newOutcomes, outcomeStatements, recordFailure, type Outcomes } from "../engine/outcomes";

const GROUPS_PER_STEP = 20;
const DIFF = HUB_LIMITS.maxMemberBatch;

interface Cursor {
  add: string | null;
  addDone: boolean;
  rem: string | null;
  remDone: boolean;
}

interface Item {
  workId: number;
  attempts: number;
  groupId: string;
  hubGroupId: string;
  cursor: Cursor;
}


async function loadItems(ctx: SyncContext, out: Outcomes): Promise<Item[]> {
  const rows = await dueMembershipDiffs(ctx.db, ctx.tenantId, ctx.now(), GROUPS_PER_STEP);
  const items: Item[] = [];
  for (const r of rows) {
    // Gone from SCIM (the group item deletes it in the hub), or not in the hub yet (its creation
    // queues a fresh "groupMembership" item): nothing to diff.
    if (!r.scim || !r.hub_id) out.done.push(r.id);
    else {
      const c = r.cursor ? (JSON.parse(r.cursor) as Partial<Cursor>) : {};
      items.push({
        workId: r.id, attempts: r.attempts, groupId: r.group_id, hubGroupId: r.hub_id,
        cursor: { add: c.add ?? null, addDone: c.addDone ?? false, rem: c.rem ?? null, remDone: c.remDone ?? false },
      });
    }
  }
  return items;
}

function diffStatements(ctx: SyncContext, item: Item) {
  return membershipDiffReads(ctx.db, ctx.tenantId, item.groupId, {
    addAfter: item.cursor.add ?? "", addLimit: item.cursor.addDone ? 0 : DIFF,
    removeAfter: item.cursor.rem ?? "", removeLimit: item.cursor.remDone ? 0 : DIFF,
  });
}

interface Plan {
  item: Item;
  add: DiffRow[];
  remove: DiffRow[];
}

export async function membersAllStep(ctx: SyncContext): Promise<boolean> {
  const out = newOutcomes();
  const items = await loadItems(ctx, out);
  if (items.length === 0) {
    if (out.done.length) await ctx.commit(outcomeStatements(ctx.db, ctx, out));
    return out.done.length > 0;
  }
  const reads = items.map((i) => diffStatements(ctx, i));
  // One batch: every item's members to add, then every item's members to remove (reads only).
  const diffs = await runParts(ctx.db, { adds: reads.map((r) => r.adds), removes: reads.map((r) => r.removes) });
  const plans: Plan[] = items.map((item, k) => ({ item, add: diffs.adds[k] ?? [], remove: diffs.removes[k] ?? [] }));
  const now = ctx.now();
  const calls = plans.flatMap((p) => {
    const addIds = p.add.flatMap((r) => (r.hub_id ? [r.hub_id] : []));
    const remIds = p.remove.flatMap((r) => (r.hub_id ? [r.hub_id] : []));
    return [
      ...(addIds.length ? [{ p, op: "add" as const, ids: addIds }] : []),
      ...(remIds.length ? [{ p, op: "remove" as const, ids: remIds }] : []),
    ];
  });
  const results = await hubCalls(ctx, calls, (c): Promise<MemberBatchResult> =>
    c.op === "add" ? ctx.hub.addGroupMembers(c.p.item.hubGroupId, c.ids) : ctx.hub.removeGroupMembers(c.p.item.hubGroupId, c.ids),
  );
  const blocked = new Set<Plan>();
  const lostGroups = new Set<Plan>();
  calls.forEach((call, k) => {
    const r = results[k]!;
    const { item } = call.p;
    const bySub = new Map((call.op === "add" ? call.p.add : call.p.remove).map((row) => [row.hub_id, row.member_id]));
    if (!r.ok) {
      blocked.add(call.p);
      if (!("error" in r)) return;
      if (r.error.kind === "notFound") lostGroups.add(call.p);
      else recordFailure(ctx, out, item, { action: `members.${call.op}`, scimId: item.groupId, hubId: item.hubGroupId, count: call.ids.length }, r.error);
      return;
    }
    const ok: string[] = [];
    const unknown: string[] = [];
    for (const res of r.value.results) {
      const memberId = bySub.get(res.userId);
      if (memberId === undefined) continue;
      if (res.status === "unknownUser") unknown.push(res.userId);
      else ok.push(memberId);
    }
    const n = (call.op === "add" ? r.value.added : r.value.removed) ?? 0;
    if (call.op === "add") {
      ctx.cycle.counts.membersAdded += n;
      out.statements.push(insertHubMembersStatement(ctx.db, ctx.tenantId, item.groupId, ok, ctx.checkpoint.sweepId));
    } else {
      ctx.cycle.counts.membersRemoved += n;
      out.statements.push(deleteHubMembersStatement(ctx.db, ctx.tenantId, item.groupId, ok));
    }
    if (unknown.length) noteUnknownUsers(ctx, out, item.groupId, unknown, bySub, call.op, now);
    out.logs.push({ action: `members.${call.op}`, scimId: item.groupId, hubId: item.hubGroupId, result: "ok", count: n });
  });
  for (const p of plans) finishPlan(ctx, out, p, blocked.has(p), lostGroups.has(p), now);
  await ctx.commit(outcomeStatements(ctx.db, ctx, out));
  return !ctx.halt;
}

/**
 * Hub users the hub no longer knows (deleted behind our back): forget their mapping and queue
 * the SCIM users (recreated if they still exist); an add stays pending until then.
 */
export function noteUnknownUsers(
  ctx: SyncContext, out: Outcomes, groupId: string, hubUserIds: string[],
  memberOf: Map<string | null, string>, op: "add" | "remove", now: string,
) {
  const memberIds = hubUserIds.flatMap((h) => {
    const m = memberOf.get(h);
    return m === undefined ? [] : [m];
  });
  out.statements.push(
    enqueueStatement(ctx.db, ctx.tenantId, "user", memberIds, now, { restart: true }),
    ...dropHubUsersStatements(ctx.db, ctx.tenantId, { hubIds: hubUserIds }),
  );
  if (op === "add" && memberIds.length) {
    out.statements.push(pendingMembersStatement(ctx.db, ctx.tenantId, memberIds.map((memberId) => ({ groupId, memberId })), now));
  }
}

function finishPlan(ctx: SyncContext, out: Outcomes, p: Plan, blocked: boolean, lost: boolean, now: string) {
  const { item } = p;
  if (lost) {
    // The hub lost the group: recreate it (that queues a fresh membership diff).
    out.statements.push(
      ...dropHubGroupsStatements(ctx.db, ctx.tenantId, [item.groupId], now),
      enqueueStatement(ctx.db, ctx.tenantId, "group", [item.groupId], now, { restart: true }),
    );
    out.done.push(item.workId);
    return;
  }
  if (blocked) return;
  // Not in the hub yet: pending until their users are created; forgotten: the hub lost the user.
  const pending = p.add.filter((r) => !r.hub_id).map((r) => ({ groupId: item.groupId, memberId: r.member_id }));
  if (pending.length) out.statements.push(pendingMembersStatement(ctx.db, ctx.tenantId, pending, now));
  const forget = p.remove.filter((r) => !r.hub_id).map((r) => r.member_id);
  if (forget.length) out.statements.push(deleteHubMembersStatement(ctx.db, ctx.tenantId, item.groupId, forget));
  const cursor: Cursor = {
    add: p.add.at(-1)?.member_id ?? item.cursor.add,
    addDone: item.cursor.addDone || p.add.length < DIFF,
    rem: p.remove.at(-1)?.member_id ?? item.cursor.rem,
    remDone: item.cursor.remDone || p.remove.length < DIFF,
  };
  if (cursor.addDone && cursor.remDone) out.done.push(item.workId);
  else out.statements.push(setCursorStatement(ctx.db, item.workId, { ...cursor }, now));
}
