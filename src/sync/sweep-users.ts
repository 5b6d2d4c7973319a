// Full-sweep steps for users: cover the outbox, re-read every hub user into the mirror (ours and
// hub-owned), drop mirror rows the hub no longer has, and queue every SCIM user the hub does not
// match. The hub writes happen later, in the "users" work phase.
import { sql } from "drizzle-orm";
import { runSql, allSql } from "../storage/raw-sql";
import { dropHubUsersStatements, upsertHubUsersStatements, type HubUserMirror } from "../storage/sync-mirror";
import { enqueueStatement } from "../storage/sync-work";
import { HUB_LIMITS, type Page } from "./device-hub/schemas";
import { CycleStop, hubCalls, type SyncContext } from "./context";
import { hubUserDiffers, hubUserFromScim } from "./plan";

export const ENQUEUE_CHUNK = 2000;

/** One hub read in a sweep: a failure stops the cycle (resumed later from the same cursor). */
export async function sweepRead<T>(ctx: SyncContext, read: () => Promise<T>): Promise<T | "restart" | null> {
  const [r] = await hubCalls(ctx, [0], read);
  if (!r || !r.ok) {
    if (r && "error" in r) {
      if (r.error.code === "invalid_cursor") return "restart";
      ctx.halt ??= new CycleStop("hubUnavailable", r.error.message);
    }
    return null;
  }
  return r.value;
}

/** Everything in the outbox so far is covered by this sweep: skip it (deleted in bounded chunks). */
export async function sweepStartStep(ctx: SyncContext): Promise<boolean> {
  const t = ctx.tenantId;
  await ctx.commit([
    runSql(ctx.db, sql`INSERT OR IGNORE INTO sync_purge (tenant_id, kind, group_id, created_at)
      SELECT tenant_id, 'group_members', resource_id, ${ctx.now()} FROM sync_outbox
      WHERE tenant_id = ${t} AND resource_type = 'Group' AND action = 'delete'`),
    runSql(ctx.db, sql`UPDATE sync_state SET outbox_seq = coalesce((SELECT max(seq) FROM sync_outbox WHERE tenant_id = ${t}), outbox_seq)
      WHERE tenant_id = ${t}`),
  ]);
  return false;
}

export async function hubUsersStep(ctx: SyncContext): Promise<boolean> {
  const page = await sweepRead(ctx, () => ctx.hub.listUsers({ cursor: ctx.cycle.cursor, limit: HUB_LIMITS.maxPage }));
  if (page === null) return false;
  if (page === "restart") {
    ctx.cycle.cursor = null;
    return true;
  }
  const { items, nextCursor } = page as Page<import("./device-hub/schemas").HubUser>;
  const refs = items.flatMap((u) => (u.externalRef ? [u.externalRef] : []));
  const scim = new Map(
    (await allSql<{ id: string; version: number; doc: string }>(ctx.db, sql`
      SELECT u.id, u.version, u.doc FROM json_each(${JSON.stringify(refs)}) j
      CROSS JOIN users u ON u.tenant_id = ${ctx.tenantId} AND u.id = j.value`)).map((r) => [r.id, r]),
  );
  const sweepId = ctx.cycle.sweepId;
  const orphans: string[] = [];
  const mirror = items.map((u): HubUserMirror => {
    const own = u.externalRef ? scim.get(u.externalRef) : undefined;
    if (u.externalRef && !own) orphans.push(u.externalRef);
    // Matching fields: in sync at this version; anything else (drift) is rewritten by the users phase.
    const inSync = own !== undefined && !hubUserDiffers(u, hubUserFromScim(own.id, JSON.parse(own.doc) as Record<string, unknown>, ctx.userFields));
    return { hubId: u.id, externalRef: u.externalRef, userNameLc: u.userName.toLowerCase(), syncedVersion: inSync ? own.version : 0, active: u.active, seenSweep: sweepId };
  });
  ctx.cycle.cursor = nextCursor;
  await ctx.commit([
    ...upsertHubUsersStatements(ctx.db, ctx.tenantId, mirror),
    // Ours in the hub but gone from SCIM: the users phase deletes them (hub-owned users stay).
    enqueueStatement(ctx.db, ctx.tenantId, "user", orphans, ctx.now()),
  ]);
  return nextCursor !== null;
}

/** Mirror rows this sweep did not see are gone from the hub; their memberships with them. */
export async function hubUsersStaleStep(ctx: SyncContext): Promise<boolean> {
  const stale = await allSql<{ hub_id: string }>(ctx.db, sql`SELECT hub_id FROM hub_users
    WHERE tenant_id = ${ctx.tenantId} AND (seen_sweep IS NULL OR seen_sweep <> ${ctx.cycle.sweepId ?? ""}) LIMIT 500`);
  if (stale.length === 0) return false;
  await ctx.commit(dropHubUsersStatements(ctx.db, ctx.tenantId, { hubIds: stale.map((r) => r.hub_id) }));
  return stale.length === 500;
}

/** Queue SCIM users the hub lacks or holds at another version, in keyset chunks. */
export async function scimUsersStep(ctx: SyncContext): Promise<boolean> {
  const t = ctx.tenantId;
  const now = ctx.now();
  const after = ctx.cycle.cursor ?? "";
  const slice = sql`(SELECT id, version FROM users WHERE tenant_id = ${t} AND id > ${after} ORDER BY id LIMIT ${ENQUEUE_CHUNK})`;
  const [, last] = (await ctx.commit([
    runSql(ctx.db, sql`INSERT INTO sync_work (tenant_id, kind, resource_id, member_id, pending, attempts, next_at, parked, created_at, updated_at)
      SELECT ${t}, 'user', u.id, '', 0, 0, ${now}, 0, ${now}, ${now} FROM ${slice} u
      WHERE NOT EXISTS (SELECT 1 FROM hub_users h WHERE h.tenant_id = ${t} AND h.external_ref = u.id AND h.synced_version = u.version)
      ON CONFLICT (tenant_id, kind, resource_id, member_id) DO NOTHING`),
    allSql<{ id: string | null }>(ctx.db, sql`SELECT max(id) AS id FROM ${slice}`),
  ])) as [unknown, { id: string | null }[]];
  const next = last[0]?.id ?? null;
  ctx.cycle.cursor = next;
  return next !== null;
}
