// Pure planning: SCIM documents → hub payloads, and (SCIM state, mirror state) → the action to
// take for one user, group or membership. No I/O; table-tested in test/sync/plan.test.ts.
import { ENTERPRISE_USER_SCHEMA } from "../../scim/urns";
import type { HubUser, HubUserInput } from "../hub/schemas";
import { DEFAULT_HUB_USER_FIELD_OPTIONS, HUB_EXTRA_FIELDS, hubExtraFields, type HubExtraFields, type HubUserFieldOptions } from "../hub/hub-user-fields";

const MAX_TEXT = 1024;

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v.slice(0, MAX_TEXT) : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function primaryEmail(doc: Record<string, unknown>): string | null {
  const emails = Array.isArray(doc["emails"]) ? (doc["emails"] as unknown[]).map(obj) : [];
  const chosen = emails.find((e) => e["primary"] === true) ?? emails.find((e) => e["type"] === "work") ?? emails[0];
  return str(chosen?.["value"]);
}

/** The hub user a SCIM user should be (docs/device-hub.md "Attribute mapping"). */
export function hubUserFromScim(scimId: string, doc: Record<string, unknown>, options: HubUserFieldOptions = DEFAULT_HUB_USER_FIELD_OPTIONS): HubUserInput & HubExtraFields {
  const name = obj(doc["name"]);
  const enterprise = obj(doc[ENTERPRISE_USER_SCHEMA]);
  return {
    externalRef: scimId,
    userName: String(doc["userName"] ?? ""),
    displayName: str(doc["displayName"]) ?? str(name["formatted"]),
    email: primaryEmail(doc),
    givenName: str(name["givenName"]),
    familyName: str(name["familyName"]),
    jobTitle: str(doc["title"]),
    department: str(enterprise["department"]),
    employeeNumber: str(enterprise["employeeNumber"]),
    active: doc["active"] !== false,
    ...hubExtraFields(doc, options),
  };
}

const USER_FIELDS = [
  "userName", "displayName", "email", "givenName", "familyName", "jobTitle", "department", "employeeNumber", "active", ...HUB_EXTRA_FIELDS,
] as const;

/** Does the hub user differ from what SCIM says in any field we manage? */
export function hubUserDiffers(hub: HubUser, desired: HubUserInput): boolean {
  return hub.externalRef !== desired.externalRef || USER_FIELDS.some((f) => (hub[f] ?? null) !== (desired[f] ?? null));
}

/** The managed fields in which the hub user differs from what SCIM says (the drift report's detail). */
export const hubUserFieldsDiffering = (hub: HubUser, desired: HubUserInput): string[] =>
  USER_FIELDS.filter((f) => (hub[f] ?? null) !== (desired[f] ?? null));

export interface UserWorkRow {
  scimId: string;
  /** null: the SCIM user no longer exists. */
  doc: Record<string, unknown> | null;
  version: number | null;
  hubId: string | null;
  syncedVersion: number | null;
  hubActive: boolean | null;
  /** The ledger keeps this deleted user's deactivated hub account until then (null: not kept). */
  keptUntil?: string | null;
  /** A kept hub account of ours holding this user's userName (its SCIM user deleted). */
  keptHolder?: { hubId: string; scimId: string } | null;
}

/** How deleted users' hub accounts are kept (docs/device-hub.md#kept-hub-accounts). */
export interface KeepPolicy {
  /** The tenant's deletedUserGraceDays; 0: delete at once. */
  graceDays: number;
  now: string;
}

const NO_KEEPING: KeepPolicy = { graceDays: 0, now: "" };

export type UserAction =
  | { kind: "create"; input: HubUserInput; version: number }
  /** A re-created user (same userName) takes over the kept hub account of a deleted one: no new account, no PIN email. */
  | { kind: "relink"; hubId: string; fromScimId: string; input: HubUserInput; version: number }
  /** Deleted in SCIM: deactivate the hub account and keep it until `until`, then delete it. */
  | { kind: "keep"; hubId: string; until: string }
  | { kind: "update"; hubId: string; input: HubUserInput; version: number; deactivate: boolean }
  | { kind: "delete"; hubId: string }
  /** A kept account reactivated in the hub during its grace period: left in place, no longer ours. */
  | { kind: "release"; hubId: string }
  /** Deleted in SCIM, never mapped: a lost create may still have made it; look it up by externalRef. */
  | { kind: "lookupDelete" }
  | { kind: "noop" };

export function planUser(row: UserWorkRow, options: HubUserFieldOptions = DEFAULT_HUB_USER_FIELD_OPTIONS, keep: KeepPolicy = NO_KEEPING): UserAction {
  if (row.doc === null || row.version === null) {
    if (!row.hubId) return { kind: "lookupDelete" };
    const keptUntil = row.keptUntil ?? null;
    if (keptUntil === null) {
      if (keep.graceDays <= 0) return { kind: "delete", hubId: row.hubId };
      return { kind: "keep", hubId: row.hubId, until: new Date(Date.parse(keep.now) + keep.graceDays * 86_400_000).toISOString() };
    }
    // Kept: nothing to do until the grace period is over; then deleted, but only while it is
    // still deactivated (reactivated in the hub meanwhile: someone there took it over).
    if (keptUntil > keep.now) return { kind: "noop" };
    return row.hubActive === false ? { kind: "delete", hubId: row.hubId } : { kind: "release", hubId: row.hubId };
  }
  const input = hubUserFromScim(row.scimId, row.doc, options);
  if (!row.hubId && row.keptHolder) return { kind: "relink", hubId: row.keptHolder.hubId, fromScimId: row.keptHolder.scimId, input, version: row.version };
  if (!row.hubId) return { kind: "create", input, version: row.version };
  if (row.syncedVersion === row.version) return { kind: "noop" };
  return { kind: "update", hubId: row.hubId, input, version: row.version, deactivate: row.hubActive === true && input.active === false };
}

export interface GroupWorkRow {
  groupId: string;
  /** null: the SCIM group no longer exists. */
  displayName: string | null;
  hubId: string | null;
  hubName: string | null;
}

export type GroupAction =
  | { kind: "create"; name: string }
  | { kind: "rename"; hubId: string; name: string }
  | { kind: "delete"; hubId: string }
  | { kind: "lookupDelete" }
  | { kind: "noop" };

export function planGroup(row: GroupWorkRow): GroupAction {
  if (row.displayName === null) return row.hubId ? { kind: "delete", hubId: row.hubId } : { kind: "lookupDelete" };
  if (!row.hubId) return { kind: "create", name: row.displayName };
  return row.hubName === row.displayName ? { kind: "noop" } : { kind: "rename", hubId: row.hubId, name: row.displayName };
}

export interface MemberWorkRow {
  groupId: string;
  memberId: string;
  scimGroupExists: boolean;
  hubGroupId: string | null;
  hubUserId: string | null;
  /** SCIM says the user is a (direct, User-typed) member. */
  desired: boolean;
  /** The mirror says the hub has the membership. */
  known: boolean;
}

export type MemberAction =
  | { kind: "add"; hubGroupId: string; hubUserId: string }
  | { kind: "remove"; hubGroupId: string; hubUserId: string }
  /** The mirror says member but the user is no longer mapped (gone from the hub): forget it. */
  | { kind: "forget" }
  /** Wanted, but the user is not in the hub yet: keep the item until it is. */
  | { kind: "pending" }
  /** Nothing to do, or covered elsewhere (group gone, or not created yet: its creation syncs all members). */
  | { kind: "done" };

export function planMember(row: MemberWorkRow): MemberAction {
  if (!row.scimGroupExists || !row.hubGroupId) return { kind: "done" };
  if (row.desired && !row.known) return row.hubUserId ? { kind: "add", hubGroupId: row.hubGroupId, hubUserId: row.hubUserId } : { kind: "pending" };
  if (!row.desired && row.known) return row.hubUserId ? { kind: "remove", hubGroupId: row.hubGroupId, hubUserId: row.hubUserId } : { kind: "forget" };
  return { kind: "done" };
}
