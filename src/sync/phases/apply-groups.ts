// The "groups" phase: create missing groups (the hub's create is idempotent by externalRef, so it
// doubles as the find-by-externalRef; an existing one with another name is renamed), rename, and
// delete. A created group gets its whole membership queued (one "groupMembership" item).
import { dueGroupItems, dueItemOf, type DueItem } from "../storage/sync-items";
import { dropHubGroupsStatements, upsertHubGroupsStatement } from "../storage/sync-mirror";
import { claimOwnershipStatement, ledgerCovers, recordOwnershipStatement, releaseOwnershipStatement } from "../storage/sync-owned";
import { enqueueStatement } from "../storage/sync-work";
import type { HubGroup } from "../hub/schemas";
import { hubCalls, type SyncContext } from "../engine/context";
import { holdDeletions } from "../engine/deletion-guard";
import { newOutcomes, outcomeStatements, recordFailure } from "../engine/outcomes";
import { tally } from "../engine/cycle-state";
import { planGroup, type GroupAction } from "../engine/plan";

const GROUP_CHUNK = 100;

interface Item extends DueItem {
  groupId: string;
  action: GroupAction;
}

/** Ours to change or delete: the ledger lists it, with this hub id or none recorded yet. */
const owns = ledgerCovers;

async function loadItems(ctx: SyncContext, held: boolean): Promise<Item[]> {
  const rows = await dueGroupItems(ctx.db, ctx.tenantId, ctx.now(), GROUP_CHUNK, held);
  return rows.map((r) => ({
    ...dueItemOf(r),
    groupId: r.group_id,
    action: planGroup({ groupId: r.group_id, displayName: r.display_name, hubId: r.hub_id, hubName: r.hub_name }),
  }));
}

type Result =
  | { kind: "created"; group: HubGroup; existed: boolean; renamed: boolean }
  | { kind: "renamed"; group: HubGroup }
  | { kind: "gone"; how: "deleted" | "alreadyGone"; hubId: string | null }
  /** A hub group with our externalRef that the ledger does not list: left alone. */
  | { kind: "foreign"; hubId: string };

async function run(ctx: SyncContext, item: Item): Promise<Result | null> {
  const a = item.action;
  switch (a.kind) {
    case "create": {
      const { group, created } = await ctx.hub.createGroup({ externalRef: item.groupId, name: a.name });
      if (group.name === a.name) return { kind: "created", group, existed: !created, renamed: false };
      return { kind: "created", group: await ctx.hub.renameGroup(group.id, a.name), existed: !created, renamed: true };
    }
    case "rename":
      return { kind: "renamed", group: await ctx.hub.renameGroup(a.hubId, a.name) };
    case "delete":
      return { kind: "gone", how: await ctx.hub.deleteGroup(a.hubId), hubId: a.hubId };
    case "lookupDelete": {
      const found = await ctx.hub.findGroupByExternalRef(item.groupId);
      if (found && !owns(item, found.id)) return { kind: "foreign", hubId: found.id };
      return { kind: "gone", how: found ? await ctx.hub.deleteGroup(found.id) : "alreadyGone", hubId: found?.id ?? null };
    }
    case "noop":
      return null;
  }
}

const logAction = (a: GroupAction) => (a.kind === "create" ? "group.create" : a.kind === "rename" ? "group.rename" : "group.delete");

export async function groupsStep(ctx: SyncContext): Promise<boolean> {
  const all = await loadItems(ctx, ctx.cycle.cursor === "held");
  if (all.length === 0) return false;
  tally(ctx.cycle, all.length);
  const guard = await holdDeletions(ctx, "group", all.some((i) => i.action.kind === "delete"));
  // Held deletions stay queued, untouched, until the admin confirms them.
  const loaded = guard.held ? all.filter((i) => i.action.kind !== "delete" || i.deleteConfirmed) : all;
  const out = newOutcomes();
  out.statements.push(...guard.statements);
  const c = ctx.cycle.counts;
  const now = ctx.now();
  const foreign = (item: Item, hubId: string | null) => {
    out.done.push(item.workId);
    out.logs.push({ action: logAction(item.action), scimId: item.groupId, hubId, result: "foreign", error: "left alone: not created or adopted by this connector" });
  };
  const items = loaded.filter((i) => {
    const a = i.action;
    if ((a.kind === "rename" || a.kind === "delete") && !owns(i, a.hubId)) return void foreign(i, a.hubId);
    return true;
  });
  const creates = items.filter((i) => i.action.kind === "create").map((i) => i.groupId);
  // Claim before sending: a create whose answer is lost is still known to be ours.
  if (creates.length) await ctx.commit([claimOwnershipStatement(ctx.db, ctx.tenantId, "group", creates, now)]);
  const results = await hubCalls(ctx, items, (item) => run(ctx, item));
  items.forEach((item, k) => {
    const r = results[k]!;
    const a = item.action;
    if (!r.ok) {
      if (!("error" in r)) return;
      if (r.error.kind === "notFound" && a.kind === "rename") {
        // Deleted in the hub behind our back: forget it and create it again now.
        out.statements.push(...dropHubGroupsStatements(ctx.db, ctx.tenantId, [item.groupId], now));
        out.retryNow.push(item.workId);
        out.logs.push({ action: "group.rename", scimId: item.groupId, hubId: a.hubId, result: "failed", error: "not found in the hub; recreating" });
        return;
      }
      recordFailure(ctx, out, item, { action: logAction(a), scimId: item.groupId }, r.error);
      return;
    }
    out.done.push(item.workId);
    const v = r.value;
    if (v === null) return;
    switch (v.kind) {
      case "created":
      case "renamed": {
        out.statements.push(
          upsertHubGroupsStatement(ctx.db, ctx.tenantId, [{ groupId: item.groupId, hubId: v.group.id, name: v.group.name, memberCount: v.group.memberCount }]),
          recordOwnershipStatement(ctx.db, ctx.tenantId, "group", [{ scimId: item.groupId, hubId: v.group.id }], "created", now),
        );
        if (v.kind === "created") {
          // Its whole membership is synced by one keyset diff; a group that already existed
          // (lost create response) may hold members: the diff starts from an empty mirror only
          // after any stale mirror rows are purged.
          out.statements.push(enqueueStatement(ctx.db, ctx.tenantId, "groupMembership", [item.groupId], now, { restart: true }));
          if (!v.existed) c.groupsCreated++;
          if (v.renamed) c.groupsRenamed++;
        } else c.groupsRenamed++;
        out.logs.push({ action: logAction(a), scimId: item.groupId, hubId: v.group.id, result: v.kind === "created" && v.existed ? "exists" : "ok" });
        return;
      }
      case "foreign":
        return foreign(item, v.hubId);
      case "gone":
        out.statements.push(...dropHubGroupsStatements(ctx.db, ctx.tenantId, [item.groupId], now), releaseOwnershipStatement(ctx.db, ctx.tenantId, "group", [item.groupId]));
        out.logs.push({ action: "group.delete", scimId: item.groupId, hubId: v.hubId, result: v.how === "deleted" ? "ok" : "alreadyGone" });
        if (v.how === "deleted") c.groupsDeleted++;
        return;
    }
  });
  await ctx.commit(outcomeStatements(ctx.db, ctx, out));
  return (all.length === GROUP_CHUNK || out.retryNow.length > 0) && !ctx.halt;
}
