-- Tenant lifecycle: a tenant is active, deleting (offboarded; the cron purges its rows in
-- bounded chunks) or deleted (a tombstone, so its id is never reused).
ALTER TABLE `tenants` ADD `state` text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `deleted_at` text;--> statement-breakpoint
CREATE INDEX `tenants_state_idx` ON `tenants` (`state`,`deleted_at`);
