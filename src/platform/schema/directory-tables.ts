// The directory's tables (migrations/0012_shards.sql): where each tenant lives, how full each
// shard is, which tenant a client id or an Entra tenant belongs to. Only the DB binding uses them.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Tenant → the shard (a binding name: "DB", "DB_1", …) that holds all of its rows. */
export const tenantPlacement = sqliteTable(
  "tenant_placement",
  {
    tenantId: text("tenant_id").primaryKey(),
    shard: text("shard").notNull(),
    /** When the tenant last moved to `shard` (null: placed there at creation). */
    movedAt: text("moved_at"),
  },
  (t) => [index("tenant_placement_shard_idx").on(t.shard)],
);

/** Each shard's database size as D1 reports it, refreshed by the cron; placement reads it. */
export const shardStats = sqliteTable("shard_stats", {
  shard: text("shard").primaryKey(),
  sizeBytes: integer("size_bytes").notNull().default(0),
  refreshedAt: text("refreshed_at"),
});

/** The token endpoint's way from a client id to its tenant (the client row is on the shard). */
export const clientDirectory = sqliteTable(
  "client_directory",
  {
    clientId: text("client_id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
  },
  (t) => [index("client_directory_tenant_idx").on(t.tenantId)],
);

/**
 * What an Entra-issued token needs before its tenant's shard is known: which tenant trusts its
 * Entra tenant, for which audience and keys. A copy of the shard's entra_token_trust row; its key
 * keeps one Entra tenant trusted by at most one of our tenants across every shard.
 */
export const entraTrustDirectory = sqliteTable(
  "entra_trust_directory",
  {
    entraTenantId: text("entra_tenant_id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    audience: text("audience").notNull(),
    jwksUrl: text("jwks_url").notNull(),
    appId: text("app_id"),
  },
  (t) => [uniqueIndex("entra_trust_directory_tenant_uq").on(t.tenantId)],
);
