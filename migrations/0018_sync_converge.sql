-- Device Hub sync convergence (docs/device-hub.md).
-- An adoption not finished yet: the hub user does not carry our externalRef. The next run writes
-- it first; until then the ledger (not the hub's externalRef) says the hub user is ours.
ALTER TABLE `hub_owned` ADD `ref_pending` integer DEFAULT false NOT NULL;
-- A deletion the admin confirmed (POST …/confirm-deletions): the held deletion items of that
-- moment are marked until the confirmation expires; only they pass the mass-delete guard.
ALTER TABLE `sync_work` ADD `delete_confirmed_until` text;
-- SCIM creates refused because a Device Hub account that is not ours holds the userName: the
-- document and the holder, so an admin can adopt the hub account later without Entra re-sending.
CREATE TABLE `hub_name_rejections` (
	`tenant_id` text NOT NULL,
	`user_name_lc` text NOT NULL,
	`user_name` text NOT NULL,
	`scim_id` text NOT NULL,
	`doc` text NOT NULL,
	`holder_hub_id` text NOT NULL,
	`holder_external_ref` text,
	`rejections` integer DEFAULT 1 NOT NULL,
	`first_at` text NOT NULL,
	`last_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `user_name_lc`)
);--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_name_rejections_insert` AFTER INSERT ON `hub_name_rejections` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_name_rejections', json_array(NEW.user_name_lc));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_name_rejections_update` AFTER UPDATE ON `hub_name_rejections` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_name_rejections', json_array(NEW.user_name_lc));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_name_rejections_delete` AFTER DELETE ON `hub_name_rejections` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'hub_name_rejections', json_array(OLD.user_name_lc));
END;
