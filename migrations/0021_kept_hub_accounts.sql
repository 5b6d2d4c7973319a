-- Keep hub accounts instead of re-creating them (docs/device-hub.md#kept-hub-accounts): a SCIM
-- delete deactivates the hub account and deletes it only after the tenant's grace period, so a
-- re-create of the same userName relinks it (every new hub account emails the person a PIN).
-- deleted_user_grace_days: the grace period (0: delete at once, as before); 30 like Entra's own
-- soft delete, for the tenants configured before too.
ALTER TABLE `hub_settings` ADD `deleted_user_grace_days` integer DEFAULT 30 NOT NULL;--> statement-breakpoint
-- The ledger's grace state: the kept account's SCIM user is deleted; it was deactivated and is
-- deleted after this time unless a re-create of its userName relinks it first. null: not kept.
ALTER TABLE `hub_owned` ADD `kept_until` text;--> statement-breakpoint
CREATE INDEX `hub_owned_kept_idx` ON `hub_owned` (`tenant_id`, `kept_until`) WHERE `kept_until` IS NOT NULL;
