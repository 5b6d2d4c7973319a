// Full-sweep steps for groups and memberships: re-read our hub groups into the mirror, drop the
// ones the hub lost, queue SCIM groups the hub lacks or names differently, re-read every hub
// membership into the mirror (page by page, in SQL), and queue a whole-membership diff per group.
import { sql } from "drizzle-orm";
import { runSql, allSql } from "../storage/raw-sql";
import type { BatchItem } from "drizzle-orm/batch";
import {
  deleteStaleHubMembersStatement, dropHubGroupsStatements, sweepHubMembersStatement, upsertHubGroupsStatement, type HubGroupMirror,
} from "../storage/sync-mirror";
import { enqueueStatement } from "../storage/sync-work";
import { HUB_LIMITS, type HubGroup, type Page } from "./device-hub/schemas";
import { CycleStop, hubCalls, type SyncContext } from "./context";
import { ENQUEUE_CHUNK, sweepRead } from "./sweep-users";

export async function hubGroupsStep(ctx: SyncContext): Promise<boolean> {
  const page = await sweepRead(ctx, () => ctx.hub.listGroups({ cursor: ctx.cycle.cursor, limit: HUB_LIMITS.maxPage }));
  if (page === null) return false;
  if (page === "restart") {
    ctx.cycle.cursor = null;
    return true;
  }
  const { items, nextCursor } = page as Page<HubGroup>;
  // Hub-owned groups (no externalRef) are not ours: left alone.
  const ours = items.filter((g) => g.externalRef);
  const scim = new Map(
    (await allSql<{ id: string; display_name: string }>(ctx.db, sql`
      SELECT g.id, g.display_name FROM json_each(${JSON.stringify(ours.map((g) => g.externalRef))}) j
      CROSS JOIN groups g ON g.tenant_id = ${ctx.tenantId} AND g.id = j.value`)).map((r) => [r.id, r.display_name]),
  );
  const mirror: HubGroupMirror[] = ours.map((g) => ({
    groupId: g.externalRef!, hubId: g.id, name: g.name, memberCount: g.memberCount, seenSweep: ctx.cycle.sweepId,
  }));
  // Gone from SCIM (delete) or renamed in the hub (rename back): the groups phase does it.
  const fix = ours.filter((g) => scim.get(g.externalRef!) !== g.name).map((g) => g.externalRef!);
  ctx.cycle.cursor = nextCursor;
  await ctx.commit([
    ...(mirror.length ? [upsertHubGroupsStatement(ctx.db, ctx.tenantId, mirror)] : []),
    enqueueStatement(ctx.db, ctx.tenantId, "group", fix, ctx.now()),
  ]);
  return nextCursor !== null;
}

export async function hubGroupsStaleStep(ctx: SyncContext): Promise<boolean> {
  const stale = await allSql<{ group_id: string }>(ctx.db, sql`SELECT group_id FROM hub_groups
    WHERE tenant_id = ${ctx.tenantId} AND (seen_sweep IS NULL OR seen_sweep <> ${ctx.cycle.sweepId ?? ""}) LIMIT 500`);
  if (stale.length === 0) return false;
  await ctx.commit(dropHubGroupsStatements(ctx.db, ctx.tenantId, stale.map((r) => r.group_id), ctx.now()));
  return stale.length === 500;
}

export async function scimGroupsStep(ctx: SyncContext): Promise<boolean> {
  const t = ctx.tenantId;
  const now = ctx.now();
  const slice = sql`(SELECT id, display_name FROM groups WHERE tenant_id = ${t} AND id > ${ctx.cycle.cursor ?? ""} ORDER BY id LIMIT ${ENQUEUE_CHUNK})`;
  const [, last] = (await ctx.commit([
    runSql(ctx.db, sql`INSERT INTO sync_work (tenant_id, kind, resource_id, member_id, pending, attempts, next_at, parked, created_at, updated_at)
      SELECT ${t}, 'group', g.id, '', 0, 0, ${now}, 0, ${now}, ${now} FROM ${slice} g
      WHERE NOT EXISTS (SELECT 1 FROM hub_groups h WHERE h.tenant_id = ${t} AND h.group_id = g.id AND h.name = g.display_name)
      ON CONFLICT (tenant_id, kind, resource_id, member_id) DO NOTHING`),
    allSql<{ id: string | null }>(ctx.db, sql`SELECT max(id) AS id FROM ${slice}`),
  ])) as [unknown, { id: string | null }[]];
  ctx.cycle.cursor = last[0]?.id ?? null;
  return ctx.cycle.cursor !== null;
}

const GROUPS_PER_MEMBER_STEP = 12;
const FLUSH_STATEMENTS = 20;
const STALE_CHUNK = 5000;

/** Re-read the members of the next groups (mirror groups seen in this sweep) into the mirror. */
export async function hubMembersStep(ctx: SyncContext): Promise<boolean> {
  const sweepId = ctx.cycle.sweepId ?? "";
  const groups = await allSql<{ group_id: string; hub_id: string; member_count: number }>(ctx.db, sql`
    SELECT group_id, hub_id, member_count FROM hub_groups
    WHERE tenant_id = ${ctx.tenantId} AND seen_sweep = ${sweepId} AND group_id > ${ctx.cycle.cursor ?? ""}
    ORDER BY group_id LIMIT ${GROUPS_PER_MEMBER_STEP}`);
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
    ctx.halt ??= new CycleStop("hubUnavailable", "listing group members failed");
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
  const t = ctx.tenantId;
  const now = ctx.now();
  const slice = sql`(SELECT group_id FROM hub_groups WHERE tenant_id = ${t} AND group_id > ${ctx.cycle.cursor ?? ""} ORDER BY group_id LIMIT ${ENQUEUE_CHUNK})`;
  const [, last] = (await ctx.commit([
    runSql(ctx.db, sql`INSERT INTO sync_work (tenant_id, kind, resource_id, member_id, pending, attempts, next_at, parked, created_at, updated_at)
      SELECT ${t}, 'members', s.group_id, '', 0, 0, ${now}, 0, ${now}, ${now} FROM ${slice} s WHERE true
      ON CONFLICT (tenant_id, kind, resource_id, member_id) DO UPDATE SET cursor = NULL, next_at = excluded.next_at WHERE parked = 0`),
    allSql<{ id: string | null }>(ctx.db, sql`SELECT max(group_id) AS id FROM ${slice}`),
  ])) as [unknown, { id: string | null }[]];
  ctx.cycle.cursor = last[0]?.id ?? null;
  return ctx.cycle.cursor !== null;
}
