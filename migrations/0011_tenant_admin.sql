-- Tenant-scoped access (self-service portal): single-use setup links, the portal sessions they
-- open and tenant API tokens for scripts. Only SHA-256 hashes of the secrets are stored.
CREATE TABLE `setup_links` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`secret_hash` text NOT NULL,
	`note` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `setup_links_secret_uq` ON `setup_links` (`secret_hash`);
--> statement-breakpoint
CREATE INDEX `setup_links_tenant_idx` ON `setup_links` (`tenant_id`,`created_at`);
--> statement-breakpoint
CREATE TABLE `portal_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`link_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `portal_sessions_token_uq` ON `portal_sessions` (`token_hash`);
--> statement-breakpoint
CREATE INDEX `portal_sessions_link_idx` ON `portal_sessions` (`tenant_id`,`link_id`);
--> statement-breakpoint
CREATE TABLE `tenant_api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	`last_used_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenant_api_tokens_token_uq` ON `tenant_api_tokens` (`token_hash`);
--> statement-breakpoint
CREATE INDEX `tenant_api_tokens_tenant_idx` ON `tenant_api_tokens` (`tenant_id`,`created_at`);
--> statement-breakpoint
-- Who did an audited action: "operator", "portal-session:<id>" or "api-token:<id>" (ids, never secrets).
ALTER TABLE `audit_log` ADD `actor` text;
--> statement-breakpoint
-- The expiring-token report reads live tokens by expiry across tenants.
CREATE INDEX `issued_tokens_expiry_idx` ON `issued_tokens` (`expires_at`);
