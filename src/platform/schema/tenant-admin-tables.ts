// Tenant-scoped access (migration 0011_tenant_admin.sql): setup links, the portal sessions they
// open and tenant API tokens. Secrets are random; only their SHA-256 hashes are stored.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A single-use, expiring link the operator hands to a customer's IT admin. */
export const setupLinks = sqliteTable(
  "setup_links",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    secretHash: text("secret_hash").notNull(),
    note: text("note"),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("setup_links_secret_uq").on(t.secretHash), index("setup_links_tenant_idx").on(t.tenantId, t.createdAt)],
);

/** A portal session opened by consuming a setup link (the cookie's token, hashed). */
export const portalSessions = sqliteTable(
  "portal_sessions",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    linkId: text("link_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    /** SHA-256 of the session's random CSRF token (migration 0015; NULL: an older session). */
    csrfHash: text("csrf_hash"),
  },
  (t) => [uniqueIndex("portal_sessions_token_uq").on(t.tokenHash), index("portal_sessions_link_idx").on(t.tenantId, t.linkId)],
);

/** A tenant admin's token for scripts (`scimta_…`): the tenant-scoped admin API without a browser. */
export const tenantApiTokens = sqliteTable(
  "tenant_api_tokens",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    lastUsedAt: text("last_used_at"),
    /** The portal session that made it ('session:<id>'); NULL before migration 0015. */
    createdBy: text("created_by"),
    /** Revoked when that session is ended by sign-out or setup-link revocation. */
    endsWithCreator: integer("ends_with_creator", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("tenant_api_tokens_token_uq").on(t.tokenHash),
    index("tenant_api_tokens_tenant_idx").on(t.tenantId, t.createdAt),
    index("tenant_api_tokens_creator_idx").on(t.tenantId, t.createdBy),
  ],
);
