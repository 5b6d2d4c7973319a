CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`at` text NOT NULL,
	`client_id` text NOT NULL,
	`request_id` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`resource_type` text,
	`resource_id` text,
	`status` integer NOT NULL,
	`rewrites` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_tenant_idx` ON `audit_log` (`tenant_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `entra_token_trust` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`entra_tenant_id` text NOT NULL,
	`audience` text NOT NULL,
	`jwks_url` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entra_token_trust_entra_tenant_uq` ON `entra_token_trust` (`entra_tenant_id`);--> statement-breakpoint
CREATE TABLE `tenant_rate_limits` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`tier` text NOT NULL,
	`updated_at` text NOT NULL
);
