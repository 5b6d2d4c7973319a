CREATE TABLE `hub_groups` (
	`tenant_id` text NOT NULL,
	`group_id` text NOT NULL,
	`hub_id` text NOT NULL,
	`name` text NOT NULL,
	`member_count` integer DEFAULT 0 NOT NULL,
	`seen_sweep` text,
	PRIMARY KEY(`tenant_id`, `group_id`)
);
--> statement-breakpoint
CREATE INDEX `hub_groups_hub_idx` ON `hub_groups` (`tenant_id`,`hub_id`);--> statement-breakpoint
CREATE TABLE `hub_members` (
	`tenant_id` text NOT NULL,
	`group_id` text NOT NULL,
	`member_id` text NOT NULL,
	`seen_sweep` text,
	PRIMARY KEY(`tenant_id`, `group_id`, `member_id`)
);
--> statement-breakpoint
CREATE INDEX `hub_members_member_idx` ON `hub_members` (`tenant_id`,`member_id`);--> statement-breakpoint
CREATE TABLE `hub_name_guard` (
	`ok` integer NOT NULL,
	CONSTRAINT "hub_user_name_taken" CHECK("hub_name_guard"."ok" = 1)
);
--> statement-breakpoint
CREATE TABLE `hub_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`base_url` text NOT NULL,
	`api_key_cipher` text NOT NULL,
	`api_key_hint` text NOT NULL,
	`timeout_ms` integer DEFAULT 10000 NOT NULL,
	`log_retention_days` integer DEFAULT 14 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `hub_users` (
	`tenant_id` text NOT NULL,
	`hub_id` text NOT NULL,
	`external_ref` text,
	`user_name_lc` text NOT NULL,
	`synced_version` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`seen_sweep` text,
	PRIMARY KEY(`tenant_id`, `hub_id`)
);
--> statement-breakpoint
CREATE INDEX `hub_users_ref_idx` ON `hub_users` (`tenant_id`,`external_ref`);--> statement-breakpoint
CREATE INDEX `hub_users_name_idx` ON `hub_users` (`tenant_id`,`user_name_lc`);--> statement-breakpoint
CREATE TABLE `sync_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`at` text NOT NULL,
	`cycle_id` text,
	`action` text NOT NULL,
	`scim_id` text,
	`hub_id` text,
	`result` text NOT NULL,
	`count` integer,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `sync_log_tenant_idx` ON `sync_log` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `sync_log_at_idx` ON `sync_log` (`tenant_id`,`at`);--> statement-breakpoint
CREATE TABLE `sync_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_purge` (
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`group_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `kind`, `group_id`)
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`started` integer DEFAULT false NOT NULL,
	`lease_id` text,
	`lease_until` text,
	`outbox_seq` integer DEFAULT 0 NOT NULL,
	`next_run_at` text NOT NULL,
	`hub_blocked_until` text,
	`sweep_requested` text,
	`last_sweep_at` text,
	`cycle` text,
	`last_cycle` text,
	`last_error` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sync_state_due_idx` ON `sync_state` (`started`,`next_run_at`);--> statement-breakpoint
CREATE TABLE `sync_work` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`resource_id` text NOT NULL,
	`member_id` text DEFAULT '' NOT NULL,
	`pending` integer DEFAULT false NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` text NOT NULL,
	`parked` integer DEFAULT false NOT NULL,
	`last_error` text,
	`cursor` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_work_item_uq` ON `sync_work` (`tenant_id`,`kind`,`resource_id`,`member_id`);--> statement-breakpoint
CREATE INDEX `sync_work_parked_idx` ON `sync_work` (`tenant_id`,`parked`,`updated_at`);