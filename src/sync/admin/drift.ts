// The drift report: "where do SCIM and the hub differ, and why". A bounded, queue-driven job that
// walks the live hub (users, groups, 500 a page), SCIM (keyset, against the mirror rows the walk
// saw), each of our hub groups' members by identity (in slices: a hub page or a keyset read each)
// and the parked work items, and lists each difference with its reason and the admin action
// that repairs it. One message runs steps until its time budget is spent, saves the report after
// every step (sync_state.drift: progress, counts, ≤ 500 differences) and hands on with another
// `drift` message. It only reads (hub and D1) and writes the report and its seen marks (on the
// mirror rows and the SCIM memberships the live hub walk listed).
import type { Bindings } from "../../config";
import type { Db } from "../../platform/d1/db";
import {
  extraHubMembers, markGroupsSeenStatement, markMembersSeenStatement, markUsersSeenStatement, parkedAfter, readDrift, saveDriftStatement,
  scimMembersAfter, scimWithMirror, seenHubGroupsAfter, unsyncedUsersNamed, type MissingRow,
} from "../storage/sync-drift";
import { isOwned, ownedByHubIds, ownedByRefs } from "../storage/sync-owned";
import { runParts } from "../../platform/d1/batch";
import { findHubSettings, findSyncState } from "../storage/sync-state";
import { scimGroupsByIds, scimUsersByIds } from "../storage/sync-sweep";
import { connectHub } from "../hub/connector";
import { BudgetExceededError, createCallCounter } from "../hub/budget";
import { DeviceHubError, isTransientHubError, type DeviceHubClient } from "../hub/client";
import { HUB_LIMITS } from "../hub/schemas";
import { hubUserFieldOptions, type HubUserFieldOptions } from "../hub/hub-user-fields";
import { hubUserFieldsDiffering, hubUserFromScim } from "../engine/plan";

export type { DriftItem, DriftKind, DriftMember, DriftMembers, DriftPhase, DriftRepair, DriftReport } from "./responses";
import type { DriftItem, DriftKind, DriftMember, DriftMembers, DriftMemberWalk as MemberWalk, DriftPhase, DriftReport } from "./responses";

const PHASES: DriftPhase[] = ["hubUsers", "scimUsers", "hubGroups", "members", "scimGroups", "parked", "done"];

export const MAX_DRIFT_ITEMS = 500;
/** Members listed per group and way (missing, extra); the totals count them all. */
export const MAX_MEMBERS_LISTED = 20;
const MAX_FOREIGN_LISTED = 50;
const MAX_FAILURES = 5;
const SCIM_PAGE = 500;

export const newDriftReport = (id: string, now: string): DriftReport => ({
  id, state: "running", requestedAt: now, finishedAt: null, phase: "hubUsers", cursor: null, memberGroup: null, invocations: 0,
  progress: {}, counts: {}, differences: 0, kept: 0, items: [], truncated: false, failures: 0, error: null,
});

export function parseDriftReport(value: unknown): DriftReport | null {
  const r = value as Partial<DriftReport> | null;
  return r && typeof r.id === "string" && typeof r.state === "string" && Array.isArray(r.items) ? (r as DriftReport) : null;
}

interface Walk {
  db: Db;
  tenantId: string;
  hub: DeviceHubClient;
  report: DriftReport;
  userFields: HubUserFieldOptions;
  /** The mass-delete guard holds deletions: deleting our extra hub objects needs a confirmation. */
  deletionsHeld: boolean;
}

function add(report: DriftReport, item: DriftItem) {
  const seen = (report.counts[item.kind] = (report.counts[item.kind] ?? 0) + 1);
  report.differences++;
  // Hub-made accounts can be most of a hub (self-registration, CSV uploads): they are counted in
  // full but listed only up to a few, so they never crowd out what needs a repair.
  const listed = item.kind !== "extraInHubForeign" || seen <= MAX_FOREIGN_LISTED;
  if (listed && report.items.length < MAX_DRIFT_ITEMS) report.items.push(item);
  else report.truncated = true;
}

const tally = (report: DriftReport, n: number) => {
  report.progress[report.phase] = (report.progress[report.phase] ?? 0) + n;
};

const next = (report: DriftReport) => {
  report.phase = PHASES[PHASES.indexOf(report.phase) + 1] ?? "done";
  report.cursor = null;
};

/** A SCIM resource the live hub does not hold: why, and what repairs it. */
function missing(w: Walk, resourceType: "User" | "Group", r: MissingRow) {
  if (r.parked) return; // listed by the parked phase, with the hub's answer
  const mirrored = r.hub_id !== null;
  const reason = r.queued
    ? "queued (or waiting in the outbox): the next run creates it in the hub"
    : mirrored
      ? "the mirror maps it to a hub object the live hub no longer lists (deleted behind our back); not queued"
      : "not in the hub and not queued";
  add(w.report, { kind: "missingInHub", resourceType, scimId: r.id, hubId: r.hub_id, name: r.name, reason, repair: r.queued ? "run" : "full-sweep" });
}

async function hubUsersStep(w: Walk): Promise<void> {
  const page = await w.hub.listUsers({ cursor: w.report.cursor, limit: HUB_LIMITS.maxPage });
  const refs = page.items.flatMap((u) => (u.externalRef ? [u.externalRef] : []));
  // Ownership as the sync judges it: the ledger's hub id first (an adoption whose externalRef the
  // next run writes is ours already), then the externalRef the ledger knows.
  const owned = await runParts(w.db, {
    byHubId: ownedByHubIds(w.db, w.tenantId, "user", page.items.map((u) => u.id)),
    byRef: ownedByRefs(w.db, w.tenantId, "user", refs),
  });
  const scimIdOfHubUser = new Map(owned.byHubId.map((r) => [r.hub_id, r.scim_id]));
  const keptUntil = new Map(owned.byHubId.map((r) => [r.hub_id, r.kept_until]));
  const now = new Date().toISOString();
  const ledger = new Map(owned.byRef.map((r) => [r.scim_id, r.hub_id]));
  const ownerOf = (u: { id: string; externalRef: string | null }) =>
    scimIdOfHubUser.get(u.id) ?? (isOwned(ledger, u.externalRef, u.id) ? u.externalRef : null);
  const scimIds = [...new Set(page.items.flatMap((u) => ownerOf(u) ?? []))];
  const scim = new Map((await scimUsersByIds(w.db, w.tenantId, scimIds)).map((r) => [r.id, r]));
  const ours: string[] = [];
  const foreign = page.items.filter((u) => ownerOf(u) === null);
  for (const u of page.items) {
    const owner = ownerOf(u);
    if (owner === null) continue;
    ours.push(u.id);
    const own = scim.get(owner);
    const kept = keptUntil.get(u.id);
    if (!own && !u.active && kept && kept > now) {
      w.report.kept = (w.report.kept ?? 0) + 1;
      continue;
    }
    if (!own) {
      add(w.report, {
        kind: "extraInHubOurs", resourceType: "User", scimId: owner, hubId: u.id, name: u.userName,
        reason: w.deletionsHeld ? "deleted in SCIM; the deletion waits for the mass-delete guard's confirmation" : "deleted in SCIM; our hub user is not deleted yet",
        repair: w.deletionsHeld ? "confirm-deletions" : "full-sweep",
      });
      continue;
    }
    const fields = hubUserFieldsDiffering(u, hubUserFromScim(own.id, JSON.parse(own.doc) as Record<string, unknown>, w.userFields));
    if (fields.length) add(w.report, { kind: "fieldDiffers", resourceType: "User", scimId: own.id, hubId: u.id, name: u.userName, reason: `the hub differs in ${fields.join(", ")}`, repair: "full-sweep" });
  }
  // A foreign hub user whose userName a SCIM user wants blocks that user; the others are left alone.
  const blocked = new Map((await unsyncedUsersNamed(w.db, w.tenantId, foreign.map((u) => u.userName.toLowerCase()))).map((r) => [r.user_name_lc, r]));
  for (const u of foreign) {
    const wanted = blocked.get(u.userName.toLowerCase());
    if (wanted) {
      add(w.report, {
        kind: "nameHeldByForeign", resourceType: "User", scimId: wanted.id, hubId: u.id, name: u.userName,
        reason: `the hub user ${u.id} (${u.externalRef ? `another integration's, externalRef ${u.externalRef}` : "made in the hub"}) holds this userName`,
        repair: u.externalRef ? "none" : "adopt",
      });
    } else {
      add(w.report, {
        kind: "extraInHubForeign", resourceType: "User", scimId: null, hubId: u.id, name: u.userName,
        reason: u.externalRef ? `another integration's (externalRef ${u.externalRef}); left alone` : "made in the hub (self-registered, uploaded or by an admin); left alone",
        repair: "none",
      });
    }
  }
  tally(w.report, page.items.length);
  w.report.cursor = page.nextCursor;
  if (page.nextCursor === null) next(w.report);
  if (ours.length) await w.db.batch([markUsersSeenStatement(w.db, w.tenantId, w.report.id, ours)]);
}

async function hubGroupsStep(w: Walk): Promise<void> {
  const page = await w.hub.listGroups({ cursor: w.report.cursor, limit: HUB_LIMITS.maxPage });
  const refs = page.items.flatMap((g) => (g.externalRef ? [g.externalRef] : []));
  const { scimRows, ledgerRows } = await runParts(w.db, {
    scimRows: scimGroupsByIds(w.db, w.tenantId, refs),
    ledgerRows: ownedByRefs(w.db, w.tenantId, "group", refs),
  });
  const scim = new Map(scimRows.map((r) => [r.id, r.display_name]));
  const ledger = new Map(ledgerRows.map((r) => [r.scim_id, r.hub_id]));
  const ours: string[] = [];
  for (const g of page.items) {
    if (!isOwned(ledger, g.externalRef, g.id)) {
      add(w.report, { kind: "extraInHubForeign", resourceType: "Group", scimId: null, hubId: g.id, name: g.name, reason: "not created or adopted by this connector; left alone", repair: "none" });
      continue;
    }
    ours.push(g.id);
    const name = scim.get(g.externalRef!);
    if (name === undefined) {
      add(w.report, {
        kind: "extraInHubOurs", resourceType: "Group", scimId: g.externalRef, hubId: g.id, name: g.name,
        reason: w.deletionsHeld ? "deleted in SCIM; the deletion waits for the mass-delete guard's confirmation" : "deleted in SCIM; our hub group is not deleted yet",
        repair: w.deletionsHeld ? "confirm-deletions" : "full-sweep",
      });
      continue;
    }
    // Its members are compared by identity in the members phase (the groups this walk saw).
    if (name !== g.name) add(w.report, { kind: "fieldDiffers", resourceType: "Group", scimId: g.externalRef, hubId: g.id, name, reason: `the hub names it "${g.name}"`, repair: "full-sweep" });
  }
  tally(w.report, page.items.length);
  w.report.cursor = page.nextCursor;
  if (page.nextCursor === null) next(w.report);
  if (ours.length) await w.db.batch([markGroupsSeenStatement(w.db, w.tenantId, w.report.id, ours)]);
}

const noMembers = (): DriftMembers => ({ missing: [], missingTotal: 0, extra: [], extraTotal: 0 });

function listMember(list: DriftMember[], m: DriftMember) {
  if (list.length < MAX_MEMBERS_LISTED) list.push(m);
}

/**
 * One slice of the membership comparison, by identity: a page of the current group's live hub
 * listing (our users on it marked on their SCIM memberships; those SCIM does not list are extra),
 * then, once the listing is done, SCIM's members in keyset slices (those not marked are missing).
 * Each slice is one hub page or one bounded read, so a group of 400,000 members is compared across
 * as many steps and invocations as it needs; hub-made members are left alone by the sync and here.
 */
async function membersStep(w: Walk): Promise<void> {
  const r = w.report;
  if (!r.memberGroup) {
    const [g] = await seenHubGroupsAfter(w.db, w.tenantId, r.id, r.cursor ?? "", 1);
    if (!g) return next(r);
    r.memberGroup = { groupId: g.group_id, hubId: g.hub_id, name: g.name, stage: "hub", cursor: null, members: noMembers() };
  }
  const m = r.memberGroup;
  if (m.stage === "hub") {
    let page;
    try {
      page = await w.hub.listGroupMembers(m.hubId, { cursor: m.cursor, limit: HUB_LIMITS.maxPage });
    } catch (e) {
      // The group left the hub since the walk listed it (deleted by the sync or behind its back:
      // its members no longer differ, the group itself is for the next report), or the hub no
      // longer knows the cursor: read the listing again (the marks are idempotent, the counts
      // start over).
      if (e instanceof DeviceHubError && e.kind === "notFound") {
        r.cursor = m.groupId;
        r.memberGroup = null;
        return;
      }
      if (e instanceof DeviceHubError && e.code === "invalid_cursor") {
        Object.assign(m, { cursor: null, members: noMembers() });
        return;
      }
      throw e;
    }
    const hubIds = page.items.map((x) => x.userId);
    if (hubIds.length) {
      const [, extra] = await w.db.batch([
        markMembersSeenStatement(w.db, w.tenantId, m.groupId, r.id, hubIds), extraHubMembers(w.db, w.tenantId, m.groupId, hubIds),
      ]);
      for (const x of extra) listMember(m.members.extra, { scimId: x.scim_id, hubId: x.hub_id, userName: x.user_name });
      m.members.extraTotal += extra.length;
    }
    tally(r, hubIds.length);
    m.cursor = page.nextCursor;
    if (page.nextCursor === null) Object.assign(m, { stage: "scim", cursor: "" });
    return;
  }
  const rows = await scimMembersAfter(w.db, w.tenantId, m.groupId, m.cursor ?? "", SCIM_PAGE);
  for (const x of rows) {
    if (x.hub_id === null || x.seen === r.id) continue;
    listMember(m.members.missing, { scimId: x.member_id, hubId: x.hub_id, userName: x.user_name });
    m.members.missingTotal++;
  }
  m.cursor = rows.at(-1)?.member_id ?? m.cursor;
  if (rows.length < SCIM_PAGE) finishGroup(w);
}

function finishGroup(w: Walk) {
  const r = w.report;
  const m = r.memberGroup!;
  const { missingTotal, extraTotal } = m.members;
  if (missingTotal + extraTotal > 0) {
    const parts = [
      ...(missingTotal ? [`lacks ${missingTotal} of SCIM's members whose users are in the hub`] : []),
      ...(extraTotal ? [`lists ${extraTotal} of our hub users SCIM does not have as members`] : []),
    ];
    add(r, {
      kind: "membershipDiffers", resourceType: "Membership", scimId: m.groupId, hubId: m.hubId, name: m.name,
      reason: `the hub group ${parts.join(" and ")}`, repair: "full-sweep", members: m.members,
    });
  }
  r.cursor = m.groupId;
  r.memberGroup = null;
}

async function scimStep(w: Walk, resourceType: "User" | "Group"): Promise<void> {
  const rows = await scimWithMirror(w.db, w.tenantId, resourceType, w.report.cursor ?? "", SCIM_PAGE);
  for (const r of rows) if (r.hub_id === null || r.seen !== w.report.id) missing(w, resourceType, r);
  tally(w.report, rows.length);
  w.report.cursor = rows.at(-1)?.id ?? null;
  if (rows.length < SCIM_PAGE) next(w.report);
}

async function parkedStep(w: Walk): Promise<void> {
  const rows = await parkedAfter(w.db, w.tenantId, Number(w.report.cursor ?? 0), SCIM_PAGE);
  for (const r of rows) {
    const resourceType = r.kind === "user" ? "User" : r.kind === "group" ? "Group" : "Membership";
    add(w.report, {
      kind: "parked", resourceType, scimId: r.resource_id, hubId: null, name: r.member_id || null,
      reason: `parked (item ${r.id}): ${r.last_error ?? "no error recorded"}`, repair: "retry-parked",
    });
  }
  tally(w.report, rows.length);
  w.report.cursor = rows.length ? String(rows.at(-1)!.id) : w.report.cursor;
  if (rows.length < SCIM_PAGE) next(w.report);
}

const STEPS: Record<Exclude<DriftPhase, "done">, (w: Walk) => Promise<void>> = {
  hubUsers: hubUsersStep,
  scimUsers: (w) => scimStep(w, "User"),
  hubGroups: hubGroupsStep,
  members: membersStep,
  scimGroups: (w) => scimStep(w, "Group"),
  parked: parkedStep,
};

/**
 * Run the tenant's current report for one invocation: steps until `deadline`, the report saved
 * after each. "more": hand on (another message); "retry": a hub read failed, hand on after a
 * while; "done": finished or failed; "gone": no running report (finished already, or replaced).
 */
export async function runDriftSteps(env: Bindings, db: Db, tenantId: string, deadline: number, now: () => string): Promise<"more" | "retry" | "done" | "gone"> {
  const report = parseDriftReport(await readDrift(db, tenantId));
  if (!report || report.state !== "running") return "gone";
  const save = () => db.batch([saveDriftStatement(db, tenantId, report)]);
  const [settings, state] = await Promise.all([findHubSettings(db, tenantId), findSyncState(db, tenantId)]);
  if (!settings) {
    Object.assign(report, { state: "failed", error: "no Device Hub settings", finishedAt: now() });
    await save();
    return "done";
  }
  const held = state?.deletionsHeld;
  const hub = await connectHub(env, settings, createCallCounter({ maxHubCalls: 1000 }), deadline);
  const walk: Walk = { db, tenantId, hub, report, userFields: hubUserFieldOptions(settings), deletionsHeld: !!held && held.users + held.groups > 0 };
  report.invocations++;
  while (report.phase !== "done" && Date.now() < deadline - 1000) {
    try {
      await STEPS[report.phase](walk);
      report.failures = 0;
    } catch (e) {
      if (e instanceof BudgetExceededError) break;
      if (!(e instanceof DeviceHubError)) throw e;
      report.failures++;
      if (!isTransientHubError(e) || report.failures >= MAX_FAILURES) {
        Object.assign(report, { state: "failed", error: e.message, finishedAt: now() });
        await save();
        return "done";
      }
      await save();
      return "retry";
    }
    await save();
  }
  if (report.phase === "done") {
    Object.assign(report, { state: "done", finishedAt: now() });
    await save();
    return "done";
  }
  await save();
  return "more";
}
