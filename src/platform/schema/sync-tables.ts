// drizzle tables of the Device Hub sync (docs/device-hub.md): per-tenant hub settings and cycle
// state, the work queue, the local mirror of what the hub holds, the operation log, purge queue.
// Re-exported from tables.ts so drizzle-kit generates them with the rest of the schema.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Per-tenant connector settings; the API key is AES-GCM encrypted (src/sync/hub/key-crypto.ts). */
export const hubSettings = sqliteTable("hub_settings", {
  tenantId: text("tenant_id").primaryKey(),
  baseUrl: text("base_url").notNull(),
  apiKeyCipher: text("api_key_cipher").notNull(),
  /** Last 4 characters of the key, so admins can tell keys apart without seeing them. */
  apiKeyHint: text("api_key_hint").notNull(),
  timeoutMs: integer("timeout_ms").notNull().default(10_000),
  logRetentionDays: integer("log_retention_days").notNull().default(14),
  /** Sent as the hub user's preferredLanguage when the SCIM user has none. */
  defaultPreferredLanguage: text("default_preferred_language").notNull().default("en-GB"),
  /** Hub field → "<schema URN>:<attribute>" (src/sync/hub/hub-user-fields.ts); null = the default mapping. */
  hubFieldMap: text("hub_field_map", { mode: "json" }).$type<Record<string, string>>(),
  /** SCIM writes refuse names and emails the hub's naming rules would refuse (400 invalidValue). */
  enforceNamingRules: integer("enforce_naming_rules", { mode: "boolean" }).notNull().default(false),
  /** false: SCIM changes wait for the scheduled run instead of queueing a sync message at once. */
  syncOnChange: integer("sync_on_change", { mode: "boolean" }).notNull().default(true),
  /** A SCIM create of a userName a hub-owned user holds: "reject" (409) or "adopt" (link it). */
  hubConflict: text("hub_conflict", { enum: ["reject", "adopt"] }).notNull().default("reject"),
  /** Mass-delete guard: deletions wait for confirmation above this share and count. */
  deleteThresholdPercent: integer("delete_threshold_percent").notNull().default(10),
  deleteThresholdMinimum: integer("delete_threshold_minimum").notNull().default(20),
  /** A deleted SCIM user's hub account is deactivated and kept this many days before it is deleted (0: at once). */
  deletedUserGraceDays: integer("deleted_user_grace_days").notNull().default(30),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** One row per tenant with provisioning configured: run state, lease, outbox cursor, checkpoint. */
export const syncState = sqliteTable(
  "sync_state",
  {
    tenantId: text("tenant_id").primaryKey(),
    started: integer("started", { mode: "boolean" }).notNull().default(false),
    /** The lease: an invocation owns the tenant while lease_until is in the future. */
    leaseId: text("lease_id"),
    leaseUntil: text("lease_until"),
    /** Last sync_outbox seq moved into sync_work. */
    outboxSeq: integer("outbox_seq").notNull().default(0),
    nextRunAt: text("next_run_at").notNull(),
    /** 429 Retry-After: no hub call for this tenant before this time. */
    hubBlockedUntil: text("hub_blocked_until"),
    /** "initial" | "fullSweep" when one was asked for and has not started yet. */
    sweepRequested: text("sweep_requested"),
    lastSweepAt: text("last_sweep_at"),
    /** The cycle in progress (checkpoint), JSON; null when idle. */
    cycle: text("cycle", { mode: "json" }).$type<Record<string, unknown>>(),
    lastCycle: text("last_cycle", { mode: "json" }).$type<Record<string, unknown>>(),
    /** Why the last invocation stopped early (unauthorized, hub down, …), for the status page. */
    lastError: text("last_error"),
    /** A sync message for the tenant is on its way since then (coalesces wake-ups); null: none. */
    wakeQueuedAt: text("wake_queued_at"),
    /** Messages of this tenant that ended in the dead-letter queue, and the last one's time. */
    deadLetters: integer("dead_letters").notNull().default(0),
    lastDeadLetterAt: text("last_dead_letter_at"),
    /** Deletions the mass-delete guard holds back, {users, groups}; null while they flow. */
    deletionsHeld: text("deletions_held", { mode: "json" }).$type<{ users: number; groups: number }>(),
    /** The admin let the held deletions through; cleared when the cycle has done them. */
    deletionsConfirmed: integer("deletions_confirmed", { mode: "boolean" }).notNull().default(false),
    /** Hub objects the last sweep saw that this connector neither created nor adopted. */
    foreignUsers: integer("foreign_users").notNull().default(0),
    foreignGroups: integer("foreign_groups").notNull().default(0),
    /** SCIM userName checks that fell back to the mirror (hub slow, down or not configured). */
    nameCheckFallbacks: integer("name_check_fallbacks").notNull().default(0),
    nameCheckFallbackAt: text("name_check_fallback_at"),
    /**
     * "slow": the hub was timing out or erroring; the tenant's runs go to the slow-lane queue and
     * never share an invocation with healthy tenants, until a run finishes ("fast" again).
     */
    lane: text("lane", { enum: ["fast", "slow"] }).notNull().default("fast"),
    laneSince: text("lane_since"),
    /** The last drift report (src/sync/admin/drift.ts): progress, counts, differences; kept until the next. */
    drift: text("drift", { mode: "json" }).$type<Record<string, unknown>>(),
    /** A cycle that has not advanced for several runs: {reason, since, runs}. */
    stuck: text("stuck", { mode: "json" }).$type<{ reason: string; since: string; runs: number; at?: string }>(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("sync_state_due_idx").on(t.started, t.nextRunAt)],
);

/**
 * The work queue. kind "user"/"group": reconcile that SCIM resource; "membership": one
 * membership (resource_id = group, member_id = user); "groupMembership": the whole membership of a group (diffed in
 * keyset chunks, cursor in `cursor`). Rows leave the queue when done; failures back off, then park.
 */
export const syncWork = sqliteTable(
  "sync_work",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id").notNull(),
    kind: text("kind", { enum: ["user", "group", "membership", "groupMembership"] }).notNull(),
    resourceId: text("resource_id").notNull(),
    memberId: text("member_id").notNull().default(""),
    /** A member whose user is not in the hub yet: retried once the user is mapped. */
    pending: integer("pending", { mode: "boolean" }).notNull().default(false),
    attempts: integer("attempts").notNull().default(0),
    nextAt: text("next_at").notNull(),
    parked: integer("parked", { mode: "boolean" }).notNull().default(false),
    lastError: text("last_error"),
    cursor: text("cursor", { mode: "json" }).$type<Record<string, unknown>>(),
    /** A deletion the admin confirmed while the mass-delete guard held it: it may pass until then. */
    deleteConfirmedUntil: text("delete_confirmed_until"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("sync_work_item_uq").on(t.tenantId, t.kind, t.resourceId, t.memberId),
    index("sync_work_parked_idx").on(t.tenantId, t.parked, t.updatedAt),
  ],
);

/**
 * The ownership ledger: hub objects this connector created (or adopted under the "adopt"
 * policy), keyed by the SCIM id we gave them as externalRef. Written when the create is sent
 * (hub_id null until the answer) or the adoption commits; never by a sweep. Only objects listed
 * here are ever changed or deleted in the hub.
 */
export const hubOwned = sqliteTable(
  "hub_owned",
  {
    tenantId: text("tenant_id").notNull(),
    kind: text("kind", { enum: ["user", "group"] }).notNull(),
    scimId: text("scim_id").notNull(),
    hubId: text("hub_id"),
    how: text("how", { enum: ["created", "adopted"] }).notNull(),
    /** An adoption whose externalRef has not reached the hub user yet (the next run writes it first). */
    refPending: integer("ref_pending", { mode: "boolean" }).notNull().default(false),
    /**
     * A kept hub account (docs/device-hub.md#kept-hub-accounts): its SCIM user is deleted, the
     * account is deactivated and deleted after this time unless a re-create of its userName
     * relinks it first. null: not kept.
     */
    keptUntil: text("kept_until"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.kind, t.scimId] }),
    index("hub_owned_hub_idx").on(t.tenantId, t.kind, t.hubId),
    index("hub_owned_kept_idx").on(t.tenantId, t.keptUntil).where(sql`${t.keptUntil} IS NOT NULL`),
    // Every run looks for pending adoptions first: an index of those alone, not a walk of the ledger.
    index("hub_owned_ref_pending_idx").on(t.tenantId, t.kind, t.scimId).where(sql`${t.refPending} = 1 AND ${t.hubId} IS NOT NULL`),
  ],
);

/**
 * SCIM creates refused because a hub account that is not ours holds the userName (self-registered,
 * uploaded, another integration's): the last refused document and the holder, one row per name,
 * so an admin can adopt the hub account later (POST …/hub-held-names/adopt).
 */
export const hubNameRejections = sqliteTable(
  "hub_name_rejections",
  {
    tenantId: text("tenant_id").notNull(),
    userNameLc: text("user_name_lc").notNull(),
    userName: text("user_name").notNull(),
    /** The id the refused create had; an adoption creates the SCIM user with it. */
    scimId: text("scim_id").notNull(),
    doc: text("doc", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    holderHubId: text("holder_hub_id").notNull(),
    holderExternalRef: text("holder_external_ref"),
    rejections: integer("rejections").notNull().default(1),
    firstAt: text("first_at").notNull(),
    lastAt: text("last_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userNameLc] })],
);

/** Mirror of the hub's users (ours and foreign): SCIM id ↔ hub id, and the hub's userNames. */
export const hubUsers = sqliteTable(
  "hub_users",
  {
    tenantId: text("tenant_id").notNull(),
    hubId: text("hub_id").notNull(),
    /** Our SCIM user id; null for every hub user that is not ours (see hub_owned): a name holder only. */
    externalRef: text("external_ref"),
    userNameLc: text("user_name_lc").notNull(),
    /** The SCIM user version the hub was last brought to; 0 = unknown/different. */
    syncedVersion: integer("synced_version").notNull().default(0),
    /** The hub's active flag as last seen, so a change to false is logged as a deactivation. */
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    seenSweep: text("seen_sweep"),
    /** The drift report whose walk of the live hub listed this user. */
    driftSeen: text("drift_seen"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.hubId] }),
    index("hub_users_ref_idx").on(t.tenantId, t.externalRef),
    index("hub_users_name_idx").on(t.tenantId, t.userNameLc),
  ],
);

/** Mirror of our groups in the hub: SCIM group id ↔ hub group id and the hub's current name. */
export const hubGroups = sqliteTable(
  "hub_groups",
  {
    tenantId: text("tenant_id").notNull(),
    groupId: text("group_id").notNull(),
    hubId: text("hub_id").notNull(),
    name: text("name").notNull(),
    memberCount: integer("member_count").notNull().default(0),
    seenSweep: text("seen_sweep"),
    /** The drift report whose walk of the live hub listed this group. */
    driftSeen: text("drift_seen"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.groupId] }), index("hub_groups_hub_idx").on(t.tenantId, t.hubId)],
);

/** Mirror of hub memberships in SCIM ids (group, user) that we know the hub holds. */
export const hubMembers = sqliteTable(
  "hub_members",
  {
    tenantId: text("tenant_id").notNull(),
    groupId: text("group_id").notNull(),
    memberId: text("member_id").notNull(),
    seenSweep: text("seen_sweep"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.groupId, t.memberId] }), index("hub_members_member_idx").on(t.tenantId, t.memberId)],
);

/** One entry per hub operation, kept log_retention_days. */
export const syncLog = sqliteTable(
  "sync_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id").notNull(),
    at: text("at").notNull(),
    cycleId: text("cycle_id"),
    action: text("action").notNull(),
    scimId: text("scim_id"),
    hubId: text("hub_id"),
    /** ok | exists | alreadyGone | failed | parked | pending | foreign | held */
    result: text("result").notNull(),
    count: integer("count"),
    error: text("error"),
  },
  (t) => [index("sync_log_tenant_idx").on(t.tenantId, t.id), index("sync_log_at_idx").on(t.tenantId, t.at)],
);

/**
 * Membership rows to delete in bounded chunks: kind "group_members" for a deleted SCIM group
 * (its first 1,000 rows went inline), "hub_members" for a mirror group that vanished.
 */
export const syncPurge = sqliteTable(
  "sync_purge",
  {
    tenantId: text("tenant_id").notNull(),
    kind: text("kind", { enum: ["group_members", "hub_members"] }).notNull(),
    groupId: text("group_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.groupId] })],
);

/**
 * Never holds a row: a SCIM user write batch can include `hubUserNameGuard()` (sync-mirror.ts),
 * which inserts a 0 here when a hub user that is not ours holds the userName, so the CHECK aborts the batch.
 */
export const hubNameGuard = sqliteTable(
  "hub_name_guard",
  { ok: integer("ok").notNull() },
  (t) => [check("hub_user_name_taken", sql`${t.ok} = 1`)],
);
