-- Storage scale-out (docs/architecture.md "Storage scale-out"): the directory's tables. Every
-- database (DB, DB_1 … DB_n) runs every migration, but only the directory (binding DB) uses these.
CREATE TABLE `tenant_placement` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`shard` text NOT NULL,
	`moved_at` text
);
--> statement-breakpoint
CREATE INDEX `tenant_placement_shard_idx` ON `tenant_placement` (`shard`);--> statement-breakpoint
CREATE TABLE `shard_stats` (
	`shard` text PRIMARY KEY NOT NULL,
	`size_bytes` integer NOT NULL DEFAULT 0,
	`refreshed_at` text
);
--> statement-breakpoint
CREATE TABLE `client_directory` (
	`client_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `client_directory_tenant_idx` ON `client_directory` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `entra_trust_directory` (
	`entra_tenant_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`audience` text NOT NULL,
	`jwks_url` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entra_trust_directory_tenant_uq` ON `entra_trust_directory` (`tenant_id`);--> statement-breakpoint
-- Never holds a row: a SCIM write batch whose tenant has no `tenants` row on this shard (the token's
-- shard claim is stale: the tenant moved) inserts a 0 here, and the whole batch rolls back.
CREATE TABLE `shard_guards` (
	`ok` integer NOT NULL,
	CONSTRAINT "tenant_elsewhere" CHECK("shard_guards"."ok" = 1)
);
--> statement-breakpoint
-- An existing deployment has every tenant on DB: its directory starts as a copy of what DB holds.
-- (A new shard's own copies of these tables start empty, so this inserts nothing there.)
INSERT INTO `tenant_placement` (`tenant_id`, `shard`) SELECT `id`, 'DB' FROM `tenants`;--> statement-breakpoint
INSERT INTO `client_directory` (`client_id`, `tenant_id`) SELECT `client_id`, `tenant_id` FROM `scim_clients`;--> statement-breakpoint
INSERT INTO `entra_trust_directory` (`entra_tenant_id`, `tenant_id`, `audience`, `jwks_url`)
	SELECT `entra_tenant_id`, `tenant_id`, `audience`, `jwks_url` FROM `entra_token_trust`;
