// drizzle table definitions: the single source of the D1 schema (migrations are generated from
// this file by drizzle-kit). Every tenant-owned table and index leads with tenant_id.
import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

export const tenants = sqliteTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    createdAt: text("created_at").notNull(),
    /** active → deleting (offboarded, rows being purged by the cron) → deleted (a tombstone). */
    state: text("state", { enum: ["active", "deleting", "deleted"] }).notNull().default("active"),
    deletedAt: text("deleted_at"),
  },
  (t) => [index("tenants_state_idx").on(t.state, t.deletedAt)],
);

export const scimClients = sqliteTable(
  "scim_clients",
  {
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    clientId: text("client_id").notNull(),
    name: text("name").notNull(),
    /** hex SHA-256 of the 256-bit random secret; the secret itself is shown once and never stored. */
    secretHash: text("secret_hash").notNull(),
    status: text("status", { enum: ["active", "revoked"] }).notNull().default("active"),
    createdAt: text("created_at").notNull(),
    secretRotatedAt: text("secret_rotated_at"),
    revokedAt: text("revoked_at"),
    /** Who made it (src/access/http/credential-creator.ts); NULL before migration 0015. */
    createdBy: text("created_by"),
    /** Revoked when its creator ends (migration 0015). */
    endsWithCreator: integer("ends_with_creator", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.clientId] }),
    index("scim_clients_tenant_idx").on(t.tenantId, t.createdAt),
    index("scim_clients_creator_idx").on(t.tenantId, t.createdBy),
  ],
);

/** Every token we issue, so that one token can be listed and revoked on its own. */
export const issuedTokens = sqliteTable(
  "issued_tokens",
  {
    tenantId: text("tenant_id").notNull(),
    jti: text("jti").notNull(),
    clientId: text("client_id").notNull(),
    issuedAt: text("issued_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    /** Who made it; NULL when the client got it from the token endpoint (it ends with the client). */
    createdBy: text("created_by"),
    endsWithCreator: integer("ends_with_creator", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.jti] }),
    index("issued_tokens_creator_idx").on(t.tenantId, t.createdBy),
    index("issued_tokens_client_idx").on(t.tenantId, t.clientId, t.issuedAt),
    index("issued_tokens_expiry_idx").on(t.expiresAt),
  ],
);

/** The key of a SCIM resource row: the tenant and the resource id. */
const resourceKey = () => ({
  tenantId: text("tenant_id").notNull(),
  id: text("id").notNull(),
});

/** What every SCIM resource row carries after its indexed attributes: version, times, the document. */
const resourceBody = () => ({
  version: integer("version").notNull().default(1),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
  /** The stored SCIM document: every attribute but id, meta and schemas (and users' groups, groups' members: rows). */
  doc: text("doc", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
});

export const users = sqliteTable(
  "users",
  {
    ...resourceKey(),
    userName: text("user_name").notNull(),
    /** lower-cased userName (JS toLowerCase, Unicode-aware): the case-insensitive unique key. */
    userNameLc: text("user_name_lc").notNull(),
    externalId: text("external_id"),
    displayNameLc: text("display_name_lc"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...resourceBody(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("users_user_name_uq").on(t.tenantId, t.userNameLc),
    index("users_external_id_idx").on(t.tenantId, t.externalId),
    index("users_display_name_idx").on(t.tenantId, t.displayNameLc),
    index("users_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

export const groups = sqliteTable(
  "groups",
  {
    ...resourceKey(),
    displayName: text("display_name").notNull(),
    /** Entra matches groups on displayName, so it is unique per tenant, case-insensitively. */
    displayNameLc: text("display_name_lc").notNull(),
    externalId: text("external_id"),
    ...resourceBody(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("groups_display_name_uq").on(t.tenantId, t.displayNameLc),
    index("groups_external_id_idx").on(t.tenantId, t.externalId),
    index("groups_updated_idx").on(t.tenantId, t.updatedAt),
  ],
);

/**
 * A stable integer key per user: the rowid of its row in the FTS5 trigram table `users_search`
 * (migrations 0007 and 0020, where each entry also carries the user id; virtual tables and the triggers that fill both are not drizzle-expressible).
 * Kept by triggers on users, never written by application code.
 */
export const userSearchKeys = sqliteTable(
  "user_search_keys",
  {
    key: integer("key").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    userId: text("user_id").notNull(),
  },
  (t) => [uniqueIndex("user_search_keys_user_uq").on(t.tenantId, t.userId)],
);

/**
 * Each tenant's number of users and of groups (migration 0017), kept by triggers on insert and
 * delete, never written by application code: an unfiltered list's totalResults without a count.
 * `gen` changes with every insert and delete (list-walk.ts trusts a remembered position only while
 * it is unchanged). WITHOUT ROWID in the migration: one row written per change, not two.
 */
export const resourceCounts = sqliteTable(
  "resource_counts",
  {
    tenantId: text("tenant_id").notNull(),
    resourceType: text("resource_type", { enum: ["User", "Group"] }).notNull(),
    n: integer("n").notNull(),
    gen: integer("gen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.resourceType] })],
);

/** One row per membership, so adding or removing a member never rewrites the group. */
export const groupMembers = sqliteTable(
  "group_members",
  {
    tenantId: text("tenant_id").notNull(),
    groupId: text("group_id").notNull(),
    memberId: text("member_id").notNull(),
    memberType: text("member_type", { enum: ["User", "Group"] }).notNull(),
    addedAt: text("added_at").notNull(),
    /** The drift report whose walk of the live hub group listed this member (src/sync/admin/drift.ts). */
    driftSeen: text("drift_seen"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.groupId, t.memberId] }),
    index("group_members_member_idx").on(t.tenantId, t.memberId),
  ],
);

/**
 * The sync outbox: every SCIM write appends a row in the same D1 batch as the write, so the
 * Device Hub sync can never miss a change.
 */
export const syncOutbox = sqliteTable(
  "sync_outbox",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id").notNull(),
    resourceType: text("resource_type", { enum: ["User", "Group"] }).notNull(),
    resourceId: text("resource_id").notNull(),
    action: text("action", { enum: ["upsert", "delete", "members"] }).notNull(),
    /** For "members": {"add":[ids],"remove":[ids],"removeAll":bool}. */
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("sync_outbox_tenant_idx").on(t.tenantId, t.seq)],
);

/** How often each Entra compatibility rewrite fired, per tenant (readable via the admin API). */
export const compatCounters = sqliteTable(
  "compat_counters",
  {
    tenantId: text("tenant_id").notNull(),
    rewrite: text("rewrite").notNull(),
    count: integer("count").notNull().default(0),
    lastSeenAt: text("last_seen_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.rewrite] })],
);


/**
 * Never holds a row. D1 has no interactive transactions, so a batch that must stop when its
 * optimistic-concurrency guard matched nothing inserts a 0 here (`… WHERE changes() = 0`): the
 * CHECK fails, and D1 rolls the whole batch back.
 */
export const batchGuards = sqliteTable(
  "batch_guards",
  { ok: integer("ok").notNull() },
  (t) => [check("version_guard", sql`${t.ok} = 1`)],
);

/**
 * Never holds a row either: the revocation guard at the head of every SCIM write batch inserts a
 * 0 here when the request's token or client has been revoked, and the whole batch rolls back.
 */
export const authGuards = sqliteTable(
  "auth_guards",
  { ok: integer("ok").notNull() },
  (t) => [check("token_revoked", sql`${t.ok} = 1`)],
);

/**
 * Never holds a row: the SCIM write batch's first guard inserts a 0 here when this shard has no
 * `tenants` row for the request's tenant (its token's shard claim is stale: the tenant moved).
 */
export const shardGuards = sqliteTable(
  "shard_guards",
  { ok: integer("ok").notNull() },
  (t) => [check("tenant_elsewhere", sql`${t.ok} = 1`)],
);

export * from "./sync-tables";
export * from "./audit-tables";
export * from "./extension-tables";
export * from "./tenant-admin-tables";
export * from "./directory-tables";
export * from "./move-tables";
export * from "./gallery-auth-tables";
