// The "users" phase: take due user items, plan each against the mirror, run the hub calls
// (creates in batches of ≤ 100, updates/deletes one each, ≤ 6 in flight) and commit outcomes,
// mirror changes and log entries in one batch per chunk of ≤ 500 users.
import { sql } from "drizzle-orm";
import { allSql } from "../storage/raw-sql";
import { dropHubUsersStatements, upsertHubUsersStatements, type HubUserMirror } from "../storage/sync-mirror";
import { DeviceHubError } from "./device-hub/client";
import { HUB_LIMITS, type HubUser, type HubUserInput, type UserBatchItem } from "./device-hub/schemas";
import { chunk, hubCalls, type SyncContext } from "./context";
import { explainHubRejection } from "./hub-rejection";
import { newOutcomes, outcomeStatements, recordFailure, type Outcomes } from "./outcomes";
import { hubUserDiffers, planUser, type UserAction } from "./plan";

const USER_CHUNK = 500;

interface Item {
  workId: number;
  attempts: number;
  scimId: string;
  action: UserAction;
}

const mirrorOf = (u: HubUser, syncedVersion: number): HubUserMirror => ({
  hubId: u.id,
  externalRef: u.externalRef,
  userNameLc: u.userName.toLowerCase(),
  syncedVersion,
  active: u.active,
});

async function loadItems(ctx: SyncContext): Promise<Item[]> {
  const rows = await allSql<{
    work_id: number; attempts: number; scim_id: string; doc: string | null; version: number | null;
    hub_id: string | null; synced_version: number | null; hub_active: number | null;
  }>(ctx.db, sql`
    SELECT w.id AS work_id, w.attempts, w.resource_id AS scim_id, u.doc, u.version, h.hub_id, h.synced_version, h.active AS hub_active
    FROM sync_work w
    LEFT JOIN users u ON u.tenant_id = w.tenant_id AND u.id = w.resource_id
    LEFT JOIN hub_users h ON h.tenant_id = w.tenant_id AND h.external_ref = w.resource_id
    WHERE w.tenant_id = ${ctx.tenantId} AND w.kind = 'user' AND w.parked = 0 AND w.next_at <= ${ctx.now()}
    ORDER BY w.resource_id LIMIT ${USER_CHUNK}`);
  return rows.map((r) => ({
    workId: r.work_id,
    attempts: r.attempts,
    scimId: r.scim_id,
    action: planUser({
      scimId: r.scim_id,
      doc: r.doc === null ? null : (JSON.parse(r.doc) as Record<string, unknown>),
      version: r.version,
      hubId: r.hub_id,
      syncedVersion: r.synced_version,
      hubActive: r.hub_active === null ? null : r.hub_active === 1,
    }, ctx.userFields),
  }));
}

/** A userName held by a user that is not ours: remember the holder, so SCIM can refuse the name. */
function rememberHolder(out: Outcomes, ctx: SyncContext, input: HubUserInput, details: Record<string, unknown> | undefined) {
  const holder = details?.["userId"];
  if (typeof holder !== "string" || details?.["externalRef"] !== null) return;
  out.statements.push(...upsertHubUsersStatements(ctx.db, ctx.tenantId, [
    { hubId: holder, externalRef: null, userNameLc: input.userName.toLowerCase(), syncedVersion: 0, active: true },
  ]));
}

function applied(out: Outcomes, ctx: SyncContext, item: Item, user: HubUser, version: number, action: string, result: "ok" | "exists") {
  out.statements.push(...upsertHubUsersStatements(ctx.db, ctx.tenantId, [mirrorOf(user, version)]));
  out.done.push(item.workId);
  out.logs.push({ action, scimId: item.scimId, hubId: user.id, result });
}

export async function usersStep(ctx: SyncContext): Promise<boolean> {
  const items = await loadItems(ctx);
  if (items.length === 0) return false;
  const out = newOutcomes();
  const c = ctx.cycle.counts;
  const creates = items.filter((i) => i.action.kind === "create");
  const singles = items.filter((i) => i.action.kind !== "create");
  for (const i of singles) if (i.action.kind === "noop") out.done.push(i.workId);

  // Creates: batches of ≤ 100. An existing user (same externalRef) comes back unchanged: PATCH it after.
  const followUps: { item: Item; hubId: string }[] = [];
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
        if (!res.created && hubUserDiffers(res.user, action.input)) followUps.push({ item, hubId: res.user.id });
        else {
          applied(out, ctx, item, res.user, action.version, "user.create", res.created ? "ok" : "exists");
          c.usersCreated++;
        }
        return;
      }
      if (res.code === "user_name_taken") rememberHolder(out, ctx, action.input, res.details);
      const error = explainHubRejection(
        new DeviceHubError({ kind: res.status === 409 ? "conflict" : "badRequest", status: res.status, code: res.code, message: res.message, details: res.details }),
        action.input,
      );
      recordFailure(ctx, out, item, { action: "user.create", scimId: item.scimId }, error);
    });
  });

  // Updates (absolute values, safe to repeat), deletes, and lookups for never-mapped deletes.
  const calls = [...singles.filter((i) => i.action.kind !== "noop").map((item) => ({ item, hubId: null as string | null })), ...followUps];
  const results = await hubCalls(ctx, calls, async ({ item, hubId }) => {
    const a = item.action;
    switch (a.kind) {
      case "create":
      case "update": {
        const { externalRef: _ref, ...patch } = a.input;
        return { user: await ctx.hub.updateUser(hubId ?? (a as { hubId: string }).hubId, patch), gone: null };
      }
      case "delete":
        return { user: null, gone: await ctx.hub.deleteUser(a.hubId) };
      case "lookupDelete": {
        const found = await ctx.hub.findUserByExternalRef(item.scimId);
        return { user: null, gone: found ? await ctx.hub.deleteUser(found.id) : ("alreadyGone" as const) };
      }
      case "noop":
        return { user: null, gone: null };
    }
  });
  calls.forEach(({ item }, k) => {
    const r = results[k]!;
    const a = item.action;
    const logAction = a.kind === "create" ? "user.create" : a.kind === "update" ? (a.deactivate ? "user.deactivate" : "user.update") : "user.delete";
    if (!r.ok) {
      if (!("error" in r)) return;
      // The hub lost the user behind our back: forget the mapping and create it again right away.
      if (r.error.kind === "notFound" && a.kind === "update") {
        out.statements.push(...dropHubUsersStatements(ctx.db, ctx.tenantId, { refs: [item.scimId] }));
        out.retryNow.push(item.workId);
        out.logs.push({ action: logAction, scimId: item.scimId, hubId: a.hubId, result: "failed", error: "not found in the hub; recreating" });
        return;
      }
      if (r.error.code === "user_name_taken" && (a.kind === "create" || a.kind === "update")) rememberHolder(out, ctx, a.input, r.error.details);
      const error = a.kind === "create" || a.kind === "update" ? explainHubRejection(r.error, a.input) : r.error;
      recordFailure(ctx, out, item, { action: logAction, scimId: item.scimId }, error);
      return;
    }
    if (r.value.user && (a.kind === "create" || a.kind === "update")) {
      applied(out, ctx, item, r.value.user, a.version, logAction, "ok");
      if (a.kind === "create") c.usersCreated++;
      else if (a.deactivate) c.usersDeactivated++;
      else c.usersUpdated++;
    } else if (r.value.gone) {
      out.statements.push(...dropHubUsersStatements(ctx.db, ctx.tenantId, { refs: [item.scimId] }));
      out.done.push(item.workId);
      out.logs.push({ action: "user.delete", scimId: item.scimId, hubId: a.kind === "delete" ? a.hubId : null, result: r.value.gone === "deleted" ? "ok" : "alreadyGone" });
      if (r.value.gone === "deleted") c.usersDeleted++;
    }
  });
  await ctx.commit(outcomeStatements(ctx.db, ctx, out));
  return (items.length === USER_CHUNK || out.retryNow.length > 0) && !ctx.halt;
}
