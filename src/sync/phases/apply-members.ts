// Single-membership items ("membership", from PATCH add/remove deltas): one joined read gives SCIM
// truth, mirror and hub ids for ≤ 500 items; adds/removes go out per hub group in batches of
// ≤ 1,000 ids. Members whose user is not in the hub yet stay pending and wake once it is mapped.
import { dueMemberItems } from "../storage/sync-member-items";
import { deleteHubMembersStatement, dropHubGroupsStatements, insertHubMembersStatement } from "../storage/sync-mirror";
import { enqueueStatement } from "../storage/sync-work";
import { HUB_LIMITS } from "../hub/schemas";
import { chunk, hubCalls, type MemberBatchResult, type SyncContext } from "../engine/context";
import { noteUnknownUsers } from "./apply-members-all";
import { newOutcomes, outcomeStatements, recordFailure } from "../engine/outcomes";
import { tally } from "../engine/cycle-state";
import { planMember, type MemberAction } from "../engine/plan";

const MEMBER_CHUNK = 500;

interface Item {
  workId: number;
  attempts: number;
  pending: boolean;
  groupId: string;
  memberId: string;
  action: MemberAction;
}

async function loadItems(ctx: SyncContext): Promise<Item[]> {
  const rows = await dueMemberItems(ctx.db, ctx.tenantId, ctx.now(), MEMBER_CHUNK);
  return rows.map((r) => ({
    workId: r.id,
    attempts: r.attempts,
    pending: r.pending === 1,
    groupId: r.group_id,
    memberId: r.member_id,
    action: planMember({
      groupId: r.group_id, memberId: r.member_id, scimGroupExists: r.scim_group === 1, hubGroupId: r.hub_group,
      hubUserId: r.hub_user, desired: r.desired === 1, known: r.known === 1,
    }),
  }));
}

interface Call {
  op: "add" | "remove";
  groupId: string;
  hubGroupId: string;
  items: Item[];
}

function callsOf(items: Item[]): Call[] {
  const byGroup = new Map<string, Call>();
  for (const item of items) {
    const a = item.action;
    if (a.kind !== "add" && a.kind !== "remove") continue;
    const key = `${a.kind}|${a.hubGroupId}`;
    const call = byGroup.get(key) ?? { op: a.kind, groupId: item.groupId, hubGroupId: a.hubGroupId, items: [] };
    call.items.push(item);
    byGroup.set(key, call);
  }
  return [...byGroup.values()].flatMap((c) => chunk(c.items, HUB_LIMITS.maxMemberBatch).map((items) => ({ ...c, items })));
}

const hubUserOf = (item: Item) => (item.action as { hubUserId: string }).hubUserId;

export async function memberItemsStep(ctx: SyncContext): Promise<boolean> {
  const items = await loadItems(ctx);
  if (items.length === 0) return false;
  tally(ctx.cycle, items.length);
  const out = newOutcomes();
  const now = ctx.now();
  for (const item of items) {
    if (item.action.kind === "done") out.done.push(item.workId);
    else if (item.action.kind === "pending" && !item.pending) out.pending.push(item.workId);
    else if (item.action.kind === "forget") {
      out.statements.push(deleteHubMembersStatement(ctx.db, ctx.tenantId, item.groupId, [item.memberId]));
      out.done.push(item.workId);
    }
  }
  const calls = callsOf(items);
  const results = await hubCalls(ctx, calls, (c): Promise<MemberBatchResult> => {
    const ids = c.items.map(hubUserOf);
    return c.op === "add" ? ctx.hub.addGroupMembers(c.hubGroupId, ids) : ctx.hub.removeGroupMembers(c.hubGroupId, ids);
  });
  calls.forEach((call, k) => {
    const r = results[k]!;
    const log = { action: `members.${call.op}`, scimId: call.groupId, hubId: call.hubGroupId, count: call.items.length };
    if (!r.ok) {
      if (!("error" in r)) return;
      if (r.error.kind === "notFound") {
        // The hub lost the group: recreate it; its creation re-syncs the whole membership.
        out.statements.push(
          ...dropHubGroupsStatements(ctx.db, ctx.tenantId, [call.groupId], now),
          enqueueStatement(ctx.db, ctx.tenantId, "group", [call.groupId], now, { restart: true }),
        );
        out.done.push(...call.items.map((i) => i.workId));
        return;
      }
      for (const item of call.items) recordFailure(ctx, out, item, log, r.error);
      return;
    }
    const byHubUser = new Map(call.items.map((i) => [hubUserOf(i), i]));
    const ok: string[] = [];
    const unknown: string[] = [];
    for (const res of r.value.results) {
      const item = byHubUser.get(res.userId);
      if (!item) continue;
      if (res.status === "unknownUser") unknown.push(res.userId);
      else {
        ok.push(item.memberId);
        out.done.push(item.workId);
      }
    }
    if (call.op === "add") {
      ctx.cycle.counts.membersAdded += r.value.added ?? 0;
      out.statements.push(insertHubMembersStatement(ctx.db, ctx.tenantId, call.groupId, ok, ctx.checkpoint.sweepId));
    } else {
      ctx.cycle.counts.membersRemoved += r.value.removed ?? 0;
      out.statements.push(deleteHubMembersStatement(ctx.db, ctx.tenantId, call.groupId, ok));
    }
    if (unknown.length) {
      const memberOf = new Map<string | null, string>(unknown.map((h) => [h, byHubUser.get(h)!.memberId]));
      noteUnknownUsers(ctx, out, call.groupId, unknown, memberOf, call.op, now);
      // Removing a user the hub no longer has is done; an add waits (pending) for its recreation.
      if (call.op === "remove") out.done.push(...unknown.map((h) => byHubUser.get(h)!.workId));
    }
    out.logs.push({ ...log, result: unknown.length && call.op === "add" ? "pending" : "ok" });
  });
  await ctx.commit(outcomeStatements(ctx.db, ctx, out));
  return items.length === MEMBER_CHUNK && !ctx.halt;
}
