// drizzle definition of the per-tenant extension schemas (migration 0004_tenant_extensions.sql).
import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per declared extension schema; `attributes` is the validated attribute list (JSON). */
export const tenantExtensions = sqliteTable(
  "tenant_extensions",
  {
    tenantId: text("tenant_id").notNull(),
    /** The URN in lower case: URNs compare case-insensitively, so one row per schema. */
    urnKey: text("urn_key").notNull(),
    /** The URN as the admin declared it (shown in /Schemas). */
    schemaUrn: text("schema_urn").notNull(),
    resourceType: text("resource_type", { enum: ["User", "Group"] }).notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    attributes: text("attributes", { mode: "json" }).notNull().$type<unknown[]>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.urnKey] })],
);
