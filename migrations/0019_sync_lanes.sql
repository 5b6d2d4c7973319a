-- The Device Hub sync's lanes (docs/device-hub.md#a-sick-hub-waits-alone): a tenant whose hub is
-- timing out or erroring runs in the slow lane (its own queue) until its hub answers again, so no
-- healthy tenant's run shares an invocation with it. lane_since: when it entered its lane.
ALTER TABLE `sync_state` ADD `lane` text DEFAULT 'fast' NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `lane_since` text;
--> statement-breakpoint
-- The drift report (docs/device-hub.md#drift-report): the tenant's last report (progress, counts,
-- the differences found, ≤ 500) as JSON, and per mirror row the report whose live hub walk saw it.
ALTER TABLE `sync_state` ADD `drift` text;--> statement-breakpoint
ALTER TABLE `hub_users` ADD `drift_seen` text;--> statement-breakpoint
ALTER TABLE `hub_groups` ADD `drift_seen` text;
