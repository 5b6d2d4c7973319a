-- Tenant moves between shards (docs/architecture.md "Moving a tenant"). tenant_moves is the
-- directory's record of each move; tenant_moving and tenant_move_journal live on the two shards a
-- move touches. Every database runs every migration; the triggers cost one primary-key probe of the
-- (almost always empty) tenant_moving table per tenant row written.
CREATE TABLE `tenant_moves` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`source` text NOT NULL,
	`destination` text NOT NULL,
	`state` text NOT NULL,
	`progress` text,
	`copied_rows` integer DEFAULT 0 NOT NULL,
	`replayed_rows` integer DEFAULT 0 NOT NULL,
	`purged_rows` integer DEFAULT 0 NOT NULL,
	`started_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`switched_at` text,
	`finished_at` text,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenant_moves_active_uq` ON `tenant_moves` (`tenant_id`) WHERE `state` IN ('copying', 'switching', 'purging', 'cancelling');--> statement-breakpoint
CREATE INDEX `tenant_moves_tenant_idx` ON `tenant_moves` (`tenant_id`, `started_at`);--> statement-breakpoint
CREATE INDEX `tenant_moves_state_idx` ON `tenant_moves` (`state`, `updated_at`);--> statement-breakpoint
-- On the source: state copying (writes journaled), switching / moved (writes refused), purging
-- (only inside the purge's own batch). On the destination: incoming (no journal, no sync).
CREATE TABLE `tenant_moving` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`move_id` text NOT NULL,
	`role` text NOT NULL,
	`state` text NOT NULL,
	`progress` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tenant_move_journal` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`tbl` text NOT NULL,
	`k` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tenant_move_journal_tenant_idx` ON `tenant_move_journal` (`tenant_id`, `seq`);--> statement-breakpoint
CREATE TRIGGER `tenant_move_users_insert` AFTER INSERT ON `users` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'users', json_array(NEW.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_users_update` AFTER UPDATE ON `users` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'users', json_array(NEW.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_users_delete` AFTER DELETE ON `users` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'users', json_array(OLD.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_groups_insert` AFTER INSERT ON `groups` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'groups', json_array(NEW.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_groups_update` AFTER UPDATE ON `groups` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'groups', json_array(NEW.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_groups_delete` AFTER DELETE ON `groups` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'groups', json_array(OLD.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_group_members_insert` AFTER INSERT ON `group_members` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'group_members', json_array(NEW.group_id, NEW.member_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_group_members_update` AFTER UPDATE ON `group_members` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'group_members', json_array(NEW.group_id, NEW.member_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_group_members_delete` AFTER DELETE ON `group_members` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'group_members', json_array(OLD.group_id, OLD.member_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_work_insert` AFTER INSERT ON `sync_work` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'sync_work', json_array(NEW.kind, NEW.resource_id, NEW.member_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_work_update` AFTER UPDATE ON `sync_work` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'sync_work', json_array(NEW.kind, NEW.resource_id, NEW.member_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_work_delete` AFTER DELETE ON `sync_work` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'sync_work', json_array(OLD.kind, OLD.resource_id, OLD.member_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_purge_insert` AFTER INSERT ON `sync_purge` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'sync_purge', json_array(NEW.kind, NEW.group_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_purge_update` AFTER UPDATE ON `sync_purge` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'sync_purge', json_array(NEW.kind, NEW.group_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_purge_delete` AFTER DELETE ON `sync_purge` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'sync_purge', json_array(OLD.kind, OLD.group_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_state_insert` AFTER INSERT ON `sync_state` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'sync_state', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_state_update` AFTER UPDATE ON `sync_state` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'sync_state', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_state_delete` AFTER DELETE ON `sync_state` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'sync_state', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_settings_insert` AFTER INSERT ON `hub_settings` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_settings', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_settings_update` AFTER UPDATE ON `hub_settings` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_settings', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_settings_delete` AFTER DELETE ON `hub_settings` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'hub_settings', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_users_insert` AFTER INSERT ON `hub_users` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_users', json_array(NEW.hub_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_users_update` AFTER UPDATE ON `hub_users` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_users', json_array(NEW.hub_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_users_delete` AFTER DELETE ON `hub_users` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'hub_users', json_array(OLD.hub_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_groups_insert` AFTER INSERT ON `hub_groups` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_groups', json_array(NEW.group_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_groups_update` AFTER UPDATE ON `hub_groups` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_groups', json_array(NEW.group_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_groups_delete` AFTER DELETE ON `hub_groups` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'hub_groups', json_array(OLD.group_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_members_insert` AFTER INSERT ON `hub_members` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_members', json_array(NEW.group_id, NEW.member_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_members_update` AFTER UPDATE ON `hub_members` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_members', json_array(NEW.group_id, NEW.member_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_members_delete` AFTER DELETE ON `hub_members` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'hub_members', json_array(OLD.group_id, OLD.member_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_compat_counters_insert` AFTER INSERT ON `compat_counters` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'compat_counters', json_array(NEW.rewrite));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_compat_counters_update` AFTER UPDATE ON `compat_counters` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'compat_counters', json_array(NEW.rewrite));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_compat_counters_delete` AFTER DELETE ON `compat_counters` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'compat_counters', json_array(OLD.rewrite));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_rate_limits_insert` AFTER INSERT ON `tenant_rate_limits` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'tenant_rate_limits', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_rate_limits_update` AFTER UPDATE ON `tenant_rate_limits` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'tenant_rate_limits', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_rate_limits_delete` AFTER DELETE ON `tenant_rate_limits` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'tenant_rate_limits', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_entra_token_trust_insert` AFTER INSERT ON `entra_token_trust` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'entra_token_trust', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_entra_token_trust_update` AFTER UPDATE ON `entra_token_trust` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'entra_token_trust', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_entra_token_trust_delete` AFTER DELETE ON `entra_token_trust` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'entra_token_trust', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_issued_tokens_insert` AFTER INSERT ON `issued_tokens` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'issued_tokens', json_array(NEW.jti));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_issued_tokens_update` AFTER UPDATE ON `issued_tokens` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'issued_tokens', json_array(NEW.jti));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_issued_tokens_delete` AFTER DELETE ON `issued_tokens` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'issued_tokens', json_array(OLD.jti));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_scim_clients_insert` AFTER INSERT ON `scim_clients` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'scim_clients', json_array(NEW.client_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_scim_clients_update` AFTER UPDATE ON `scim_clients` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'scim_clients', json_array(NEW.client_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_scim_clients_delete` AFTER DELETE ON `scim_clients` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'scim_clients', json_array(OLD.client_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_extensions_insert` AFTER INSERT ON `tenant_extensions` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'tenant_extensions', json_array(NEW.urn_key));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_extensions_update` AFTER UPDATE ON `tenant_extensions` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'tenant_extensions', json_array(NEW.urn_key));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_extensions_delete` AFTER DELETE ON `tenant_extensions` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'tenant_extensions', json_array(OLD.urn_key));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_owned_insert` AFTER INSERT ON `hub_owned` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_owned', json_array(NEW.kind, NEW.scim_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_owned_update` AFTER UPDATE ON `hub_owned` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'hub_owned', json_array(NEW.kind, NEW.scim_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_hub_owned_delete` AFTER DELETE ON `hub_owned` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'hub_owned', json_array(OLD.kind, OLD.scim_id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_outbox_insert` AFTER INSERT ON `sync_outbox` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_sync_log_insert` AFTER INSERT ON `sync_log` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_audit_log_insert` AFTER INSERT ON `audit_log` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
END;
--> statement-breakpoint
-- The tenants row is copied again in the switch; from then on it must not change on the source.
CREATE TRIGGER `tenant_move_tenants_update` AFTER UPDATE ON `tenants` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.id AND m.state <> 'copying';
END;
