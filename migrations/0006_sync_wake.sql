-- Device Hub sync on Cloudflare Queues (docs/device-hub.md#message-flow).
-- wake_queued_at: a sync message for the tenant is on its way (coalesces the wake-ups of a burst
-- of SCIM writes; cleared when a consumer picks the tenant up). dead_letters: messages of the
-- tenant that reached the dead-letter queue, shown by the status API.
ALTER TABLE `sync_state` ADD `wake_queued_at` text;
--> statement-breakpoint
ALTER TABLE `sync_state` ADD `dead_letters` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `sync_state` ADD `last_dead_letter_at` text;
--> statement-breakpoint
-- sync_on_change = 0: SCIM changes wait for the scheduled run instead of waking the sync at once.
ALTER TABLE `hub_settings` ADD `sync_on_change` integer DEFAULT 1 NOT NULL;
