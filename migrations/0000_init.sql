CREATE TABLE `batch_guards` (
	`ok` integer NOT NULL,
	CONSTRAINT "version_guard" CHECK("batch_guards"."ok" = 1)
);
--> statement-breakpoint
CREATE TABLE `compat_counters` (
	`tenant_id` text NOT NULL,
	`rewrite` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`last_seen_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `rewrite`)
);
--> statement-breakpoint
CREATE TABLE `group_members` (
	`tenant_id` text NOT NULL,
	`group_id` text NOT NULL,
	`member_id` text NOT NULL,
	`member_type` text NOT NULL,
	`added_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `group_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `group_members_member_idx` ON `group_members` (`tenant_id`,`member_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`display_name` text NOT NULL,
	`display_name_lc` text NOT NULL,
	`external_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`doc` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_display_name_uq` ON `groups` (`tenant_id`,`display_name_lc`);--> statement-breakpoint
CREATE INDEX `groups_external_id_idx` ON `groups` (`tenant_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `groups_updated_idx` ON `groups` (`tenant_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `issued_tokens` (
	`tenant_id` text NOT NULL,
	`jti` text PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`issued_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE INDEX `issued_tokens_client_idx` ON `issued_tokens` (`tenant_id`,`client_id`,`issued_at`);--> statement-breakpoint
CREATE TABLE `scim_clients` (
	`tenant_id` text NOT NULL,
	`client_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`secret_hash` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text NOT NULL,
	`secret_rotated_at` text,
	`revoked_at` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `scim_clients_tenant_idx` ON `scim_clients` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `sync_outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`resource_type` text NOT NULL,
	`resource_id` text NOT NULL,
	`action` text NOT NULL,
	`payload` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_outbox_tenant_idx` ON `sync_outbox` (`tenant_id`,`seq`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`user_name` text NOT NULL,
	`user_name_lc` text NOT NULL,
	`external_id` text,
	`display_name_lc` text,
	`active` integer DEFAULT true NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`doc` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_user_name_uq` ON `users` (`tenant_id`,`user_name_lc`);--> statement-breakpoint
CREATE INDEX `users_external_id_idx` ON `users` (`tenant_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `users_display_name_idx` ON `users` (`tenant_id`,`display_name_lc`);--> statement-breakpoint
CREATE INDEX `users_updated_idx` ON `users` (`tenant_id`,`updated_at`);