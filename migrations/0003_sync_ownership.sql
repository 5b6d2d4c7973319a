-- Device Hub sync safety: the ownership ledger (hub objects this connector created or adopted,
-- written at the moment of creation or adoption, never by a sweep), per-tenant policies (what a
-- SCIM create does with a hub-held userName, the mass-delete guard) and operator-facing state.
CREATE TABLE `hub_owned` (
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`scim_id` text NOT NULL,
	`hub_id` text,
	`how` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `kind`, `scim_id`)
);
--> statement-breakpoint
CREATE INDEX `hub_owned_hub_idx` ON `hub_owned` (`tenant_id`,`kind`,`hub_id`);--> statement-breakpoint
-- Backfill: mappings the connector made before the ledger existed are ours when the externalRef
-- is a live SCIM id of the same tenant (the old code only ever created such objects).
INSERT OR IGNORE INTO `hub_owned` (`tenant_id`, `kind`, `scim_id`, `hub_id`, `how`, `created_at`)
	SELECT h.`tenant_id`, 'user', h.`external_ref`, h.`hub_id`, 'created', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
	FROM `hub_users` h JOIN `users` u ON u.`tenant_id` = h.`tenant_id` AND u.`id` = h.`external_ref`;--> statement-breakpoint
INSERT OR IGNORE INTO `hub_owned` (`tenant_id`, `kind`, `scim_id`, `hub_id`, `how`, `created_at`)
	SELECT h.`tenant_id`, 'group', h.`group_id`, h.`hub_id`, 'created', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
	FROM `hub_groups` h JOIN `groups` g ON g.`tenant_id` = h.`tenant_id` AND g.`id` = h.`group_id`;--> statement-breakpoint
ALTER TABLE `hub_settings` ADD `hub_conflict` text DEFAULT 'reject' NOT NULL;--> statement-breakpoint
ALTER TABLE `hub_settings` ADD `delete_threshold_percent` integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE `hub_settings` ADD `delete_threshold_minimum` integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `deletions_held` text;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `deletions_confirmed` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `foreign_users` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `foreign_groups` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `name_check_fallbacks` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `name_check_fallback_at` text;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `stuck` text;
