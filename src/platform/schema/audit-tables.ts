// Hardening tables (issue 6): the append-only audit log, each tenant's rate-limit tier, and the
// optional trust of Entra-issued tokens. Re-exported from tables.ts so drizzle-kit sees them.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * One row per SCIM write or admin action, written after the response. Ids, outcome, the
 * resource's name (userName / displayName) and our error answer: never request bodies, tokens or
 * other attribute values.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id").notNull(),
    at: text("at").notNull(),
    /** The SCIM client id, or "admin" for the admin API. */
    clientId: text("client_id").notNull(),
    requestId: text("request_id").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    resourceType: text("resource_type"),
    resourceId: text("resource_id"),
    status: integer("status").notNull(),
    /** JSON array of the Entra compatibility rewrites that fired (names only). */
    rewrites: text("rewrites", { mode: "json" }).notNull().$type<string[]>(),
    /** Who acted: "operator", "portal-session:<id>" or "api-token:<id>" (admin and portal rows). */
    actor: text("actor"),
    /** SCIM rows: the userName / displayName the client sent (POST, PUT), for the request log (0016). */
    resourceName: text("resource_name"),
    /** SCIM rows that failed: the scimType and detail we answered (0016). */
    errorType: text("error_type"),
    errorDetail: text("error_detail"),
  },
  (t) => [index("audit_log_tenant_idx").on(t.tenantId, t.seq), index("audit_log_at_idx").on(t.at)],
);

/** A tenant's rate-limit tier (absent: "standard"). Each tier is one [[ratelimits]] binding. */
export const tenantRateLimits = sqliteTable("tenant_rate_limits", {
  tenantId: text("tenant_id").primaryKey(),
  tier: text("tier").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** Per tenant, opt-in: accept tokens Microsoft Entra ID issues itself (docs/auth.md). */
export const entraTokenTrust = sqliteTable(
  "entra_token_trust",
  {
    tenantId: text("tenant_id").primaryKey(),
    /** The customer's Entra (directory) tenant id: the token's `tid`; one of ours per Entra tenant. */
    entraTenantId: text("entra_tenant_id").notNull(),
    audience: text("audience").notNull(),
    jwksUrl: text("jwks_url").notNull(),
    updatedAt: text("updated_at").notNull(),
    /** The trusted Entra application id: an Entra-issued token's appid/azp must equal it (NULL: not checked,
     * flagged; 0015), and its tokens may be exchanged at /oauth/token (0016). */
    appId: text("app_id"),
    /** An audience a client assertion may carry besides our token endpoint, e.g. api://{app id} (0016). */
    assertionAudience: text("assertion_audience"),
  },
  (t) => [uniqueIndex("entra_token_trust_entra_tenant_uq").on(t.entraTenantId)],
);
