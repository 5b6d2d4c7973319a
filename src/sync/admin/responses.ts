// The shapes the provisioning admin API answers with, as types only: the API's code is written
// against them and the console and portal import them (import type), so a changed field fails the
// typecheck of both sides instead of drifting. Type-only imports of modules without imports only:
// the console's typecheck (DOM, no Workers types) reads this file too.
import type { CycleCounts, CycleKind, CycleSummary, PhaseProgress } from "../engine/cycle-state";

export type { PhaseProgress };

export type WorkKind = "user" | "group" | "membership" | "groupMembership";

export interface DeletionConfirmation {
  users: number;
  groups: number;
  expiresAt: string;
}

export interface ProvisioningStatus {
  tenantId: string;
  configured: boolean;
  state: "started" | "stopped";
  /** running: an invocation holds the lease now; paused: a cycle resumes on a later run. */
  activity: "running" | "paused" | "idle";
  currentCycle: {
    id: string;
    kind: CycleKind;
    startedAt: string;
    invocations: number;
    progress: { done: number; total: number; phase: string; phases: PhaseProgress[] };
    counts: CycleCounts;
  } | null;
  lastCycle: (CycleSummary & { pending: number }) | null;
  /** The cron tick that will run the tenant next; null while stopped. */
  nextRunAt: string | null;
  hubBlockedUntil: string | null;
  lastSweepAt: string | null;
  sweepRequested: string | null;
  /** Why a run last stopped early; kept until a later cycle finishes. */
  lastError: string | null;
  /** A sync message for the tenant is on its way since then (null: none). */
  wakeQueuedAt: string | null;
  /**
   * fast: runs share invocations with other tenants; slow: the hub was timing out or erroring, so
   * the tenant runs alone (the slow-lane queue) until a run finishes; laneSince: when it entered it.
   */
  lane: "fast" | "slow";
  laneSince: string | null;
  /** Sync messages of this tenant that ended in the dead-letter queue. */
  deadLetters: { count: number; lastAt: string | null };
  queue: { queued: number; pending: number; parked: number };
  /**
   * Set when the cycle has not advanced for STUCK_RUNS runs; retryAt: a blocked sweep backs off
   * and retries on its own from then on ("Run now" and "full sweep" retry it at once).
   */
  stuck: { reason: string; since: string; runs: number; retryAt: string | null } | null;
  /** Hub objects the last sweep saw that this connector neither created nor adopted (left alone). */
  foreign: { users: number; groups: number };
  deletions: {
    state: "flowing" | "awaitingConfirmation";
    users: number;
    groups: number;
    threshold: { percent: number; minimum: number };
    /** The live confirmation (POST …/confirm-deletions): the deletions it still lets through, until expiresAt. */
    confirmed: DeletionConfirmation | null;
  };
  hubNameCheck: { fallbacks: number; lastFallbackAt: string | null };
}

export type DriftKind =
  | "missingInHub" | "extraInHubOurs" | "extraInHubForeign" | "fieldDiffers" | "membershipDiffers" | "nameHeldByForeign" | "parked";

/** The admin action that repairs a difference (docs/device-hub.md#drift-report); none: left alone by design. */
export type DriftRepair = "run" | "full-sweep" | "retry-parked" | "confirm-deletions" | "adopt" | "none";

export interface DriftItem {
  kind: DriftKind;
  resourceType: "User" | "Group" | "Membership";
  scimId: string | null;
  hubId: string | null;
  name: string | null;
  reason: string;
  repair: DriftRepair;
  /** membershipDiffers: who differs (the first MAX_MEMBERS_LISTED each way) and how many in all. */
  members?: DriftMembers;
}

/** A member of a group that differs: the SCIM user, its hub user, its userName (when known). */
export interface DriftMember {
  scimId: string | null;
  hubId: string | null;
  userName: string | null;
}

export interface DriftMembers {
  /** SCIM members (whose users the hub holds) the hub group does not list. */
  missing: DriftMember[];
  missingTotal: number;
  /** Hub users of ours the hub group lists that SCIM does not have as members. */
  extra: DriftMember[];
  extraTotal: number;
}

/** The group whose members are being compared: its live listing page, then its SCIM members. */
export interface DriftMemberWalk {
  groupId: string;
  hubId: string;
  name: string | null;
  stage: "hub" | "scim";
  /** The hub listing's next page (stage hub) or the last SCIM member compared (stage scim). */
  cursor: string | null;
  members: DriftMembers;
}

export type DriftPhase = "hubUsers" | "scimUsers" | "hubGroups" | "members" | "scimGroups" | "parked" | "done";

export interface DriftReport {
  id: string;
  state: "running" | "done" | "failed";
  requestedAt: string;
  finishedAt: string | null;
  phase: DriftPhase;
  cursor: string | null;
  /** Phase members: the group being compared (its own cursors), across steps and invocations. */
  memberGroup?: DriftMemberWalk | null;
  invocations: number;
  /** Objects examined per phase so far. */
  progress: Partial<Record<DriftPhase, number>>;
  counts: Partial<Record<DriftKind, number>>;
  /** All differences found (items holds the first MAX_DRIFT_ITEMS). */
  differences: number;
  /**
   * Hub accounts of deleted SCIM users kept (deactivated) within their grace period: not a
   * difference, they are deleted when it ends (docs/device-hub.md#kept-hub-accounts).
   */
  kept?: number;
  items: DriftItem[];
  truncated: boolean;
  /** Hub reads that failed in a row (transient); the report fails after MAX_FAILURES. */
  failures: number;
  error: string | null;
}

export interface CycleHistory {
  cycleId: string;
  /** Time of the cycle's first logged hub operation (a cycle that made no calls has no row). */
  startedAt: string;
  /** ok, exists, alreadyGone: the hub holds what we asked for. */
  ok: number;
  /** failed, rateLimited: retried by a later run. */
  failed: number;
  parked: number;
}

/** foreign: a hub object left alone (not ours); held: a deletion waiting for confirmation. */
export type LogResult = "ok" | "exists" | "alreadyGone" | "failed" | "parked" | "pending" | "rateLimited" | "foreign" | "held";

export interface LogEntry {
  action: string;
  scimId?: string | null;
  hubId?: string | null;
  result: LogResult;
  /** Items in a batch operation (member add/remove). */
  count?: number | null;
  error?: string | null;
}

export interface LogRow extends Required<LogEntry> {
  id: number;
  at: string;
  cycleId: string | null;
}

export interface ParkedItem {
  id: number;
  kind: WorkKind;
  resourceId: string;
  memberId: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

/** GET …/provisioning/logs: a log row with the user's userName or group's displayName (null once gone). */
export type ProvisioningLogEntry = LogRow & { name: string | null };
/** GET …/provisioning/parked: a parked item with the names of its resource and member. */
export type ParkedEntry = ParkedItem & { name: string | null; memberName: string | null };

/** A userName a hub account that is not ours holds (GET …/provisioning/hub-held-names). */
export interface HubHeldNameJson {
  userName: string;
  /** rejectedCreate: SCIM refused the create (no SCIM user); parkedCreate: the SCIM user exists, its hub create is parked. */
  source: "rejectedCreate" | "parkedCreate";
  scimId: string;
  holder: { hubId: string; externalRef: string | null };
  /** Refused creates: how often and when first/last; parked creates: when parked. */
  rejections: number;
  since: string;
  lastAt: string;
}

/** GET …/provisioning/hub-held-names: at most 500 of each kind; `truncated` says there are more. */
export interface HubHeldNamesJson {
  items: HubHeldNameJson[];
  truncated: boolean;
}

/** POST …/provisioning/hub-held-names/adopt. */
export interface AdoptResultJson {
  adopted: { userName: string; scimId: string; hubId: string }[];
  refused: { userName: string; reason: string }[];
  /** More hub-held names are left (with `all`): call again. */
  more: boolean;
}
