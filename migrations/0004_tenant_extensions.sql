-- Per-tenant SCIM extension schemas declared through the admin API (docs/scim.md, "Extension schemas").
CREATE TABLE `tenant_extensions` (
	`tenant_id` text NOT NULL,
	`urn_key` text NOT NULL,
	`schema_urn` text NOT NULL,
	`resource_type` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`attributes` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `urn_key`)
);
