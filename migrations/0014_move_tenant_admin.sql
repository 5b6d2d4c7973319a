-- Tenant moves (0013) journal the tenant-admin credentials of 0011 too: setup links, portal
-- sessions and tenant API tokens live on the tenant's shard and move with it, like its SCIM
-- clients. Same trigger shape as 0013: journal while copying, refuse writes while switching.
CREATE TRIGGER `tenant_move_setup_links_insert` AFTER INSERT ON `setup_links` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'setup_links', json_array(NEW.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_setup_links_update` AFTER UPDATE ON `setup_links` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'setup_links', json_array(NEW.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_setup_links_delete` AFTER DELETE ON `setup_links` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'setup_links', json_array(OLD.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_portal_sessions_insert` AFTER INSERT ON `portal_sessions` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'portal_sessions', json_array(NEW.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_portal_sessions_update` AFTER UPDATE ON `portal_sessions` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'portal_sessions', json_array(NEW.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_portal_sessions_delete` AFTER DELETE ON `portal_sessions` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'portal_sessions', json_array(OLD.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_api_tokens_insert` AFTER INSERT ON `tenant_api_tokens` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'tenant_api_tokens', json_array(NEW.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_api_tokens_update` AFTER UPDATE ON `tenant_api_tokens` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'tenant_api_tokens', json_array(NEW.id));
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_api_tokens_delete` AFTER DELETE ON `tenant_api_tokens` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'tenant_api_tokens', json_array(OLD.id));
END;
