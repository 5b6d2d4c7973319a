// Tables of migration 0016 (Entra gallery readiness): each tenant's token-lifetime policy, and the
// client assertions already exchanged at the token endpoint. Re-exported from tables.ts.
import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const TOKEN_POLICY_MODES = ["standard", "gallery"] as const;
export type TokenPolicyMode = (typeof TOKEN_POLICY_MODES)[number];

/** A tenant's token-lifetime policy (absent: "standard"); on the tenant's shard, moves with it. */
export const tenantTokenPolicy = sqliteTable("tenant_token_policy", {
  tenantId: text("tenant_id").primaryKey(),
  mode: text("mode", { enum: TOKEN_POLICY_MODES }).notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** RFC 7523 client assertions already used, kept until they expire (directory database). */
export const clientAssertionReplay = sqliteTable(
  "client_assertion_replay",
  {
    issuer: text("issuer").notNull(),
    jti: text("jti").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.jti] }), index("client_assertion_replay_expires_idx").on(t.expiresAt)],
);
