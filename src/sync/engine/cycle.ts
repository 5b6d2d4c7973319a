// Runs one tenant's cycle from its checkpoint, phase by phase, one bounded step at a time, until
// it is done, the invocation budget is spent, or the hub says stop (429, 401, unreachable).
import { purgeStep } from "../storage/sync-purge";
import { ingestOutbox, outboxHasMore } from "../storage/sync-work";
import { queueExpiredKeptStatement } from "../storage/sync-owned";
import { groupsStep } from "../phases/apply-groups";
import { memberItemsStep } from "../phases/apply-members";
import { membersAllStep } from "../phases/apply-members-all";
import { usersStep } from "../phases/apply-users";
import { budgetLeft, CycleStop, type SyncContext } from "./context";
import { nextPhase, type Phase } from "./cycle-state";
import { hubGroupsStaleStep, hubGroupsStep, hubMembersStep, membersAllEnqueueStep, scimGroupsStep } from "../phases/sweep-groups";
import { hubUsersStaleStep, hubUsersStep, scimUsersStep, sweepStartStep } from "../phases/sweep-users";

const INGEST_PAGE = 500;
/** Kept accounts whose grace period ended, queued per cycle (the rest come with the next cycle). */
const EXPIRED_PAGE = 1000;

/**
 * Move the next outbox page into the work queue (one D1 round trip); the kept hub accounts whose
 * grace period is over ride along as user items (their delete goes through the mass-delete guard).
 */
async function ingestStep(ctx: SyncContext): Promise<boolean> {
  const ingest = ingestOutbox(ctx.db, ctx.tenantId, INGEST_PAGE, ctx.now());
  const expired = ctx.cycle.cursor === null ? [queueExpiredKeptStatement(ctx.db, ctx.tenantId, ctx.now(), EXPIRED_PAGE)] : [];
  const more = outboxHasMore((await ctx.commitParts({ ...ingest, expired })).progress);
  // The expiry rides on the phase's first step only (later steps of a big outbox need not repeat it).
  if (more) ctx.cycle.cursor = "ingesting";
  return more;
}

/**
 * Purge queued mirror rows first (a group's diff waits for its purge), then whole-group diffs,
 * then single-membership items. The cursor marks the sub-step: null → "all" → "items".
 */
async function membersStep(ctx: SyncContext): Promise<boolean> {
  if (ctx.cycle.cursor === null) {
    const { more } = await purgeStep(ctx.db, ctx.tenantId);
    if (!more) ctx.cycle.cursor = "all";
    return true;
  }
  if (ctx.cycle.cursor !== "items") {
    if (await membersAllStep(ctx)) return true;
    if (ctx.halt) return false;
    ctx.cycle.cursor = "items";
    return true;
  }
  return memberItemsStep(ctx);
}

/** Each step does a bounded amount of work and says whether its phase has more. */
const STEPS: Record<Exclude<Phase, "done">, (ctx: SyncContext) => Promise<boolean>> = {
  sweepStart: sweepStartStep,
  hubUsers: hubUsersStep,
  hubUsersStale: hubUsersStaleStep,
  scimUsers: scimUsersStep,
  hubGroups: hubGroupsStep,
  hubGroupsStale: hubGroupsStaleStep,
  scimGroups: scimGroupsStep,
  hubMembers: hubMembersStep,
  membersAll: membersAllEnqueueStep,
  ingest: ingestStep,
  users: usersStep,
  groups: groupsStep,
  members: membersStep,
};

export async function runCycle(ctx: SyncContext): Promise<"finished" | "paused"> {
  while (ctx.cycle.phase !== "done") {
    if (ctx.halt) return "paused";
    if (!budgetLeft(ctx.budget)) {
      ctx.halt = new CycleStop("budget", "invocation budget spent; resuming next run");
      return "paused";
    }
    const more = await STEPS[ctx.cycle.phase](ctx);
    if (ctx.halt) return "paused";
    if (!more) {
      ctx.cycle.phase = nextPhase(ctx.cycle.kind, ctx.cycle.phase);
      ctx.cycle.cursor = null;
    }
  }
  return "finished";
}
