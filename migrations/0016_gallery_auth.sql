-- Entra gallery readiness (issue 24).
-- 1. A tenant's token-lifetime policy: 'standard' (any lifetime the endpoint allows) or 'gallery'
--    (client-credential tokens only for 60–360 minutes, Entra's gallery rule). No row = standard.
CREATE TABLE `tenant_token_policy` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
-- It moves with its tenant like tenant_rate_limits (same trigger shape as 0013).
CREATE TRIGGER `tenant_move_tenant_token_policy_insert` AFTER INSERT ON `tenant_token_policy` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'tenant_token_policy', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_token_policy_update` AFTER UPDATE ON `tenant_token_policy` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.role = 'source') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = NEW.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (NEW.tenant_id, 'tenant_token_policy', json_array());
END;--> statement-breakpoint
CREATE TRIGGER `tenant_move_tenant_token_policy_delete` AFTER DELETE ON `tenant_token_policy` WHEN EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'source' AND m.state <> 'purging') BEGIN
	SELECT RAISE(ABORT, 'tenant_moving') FROM tenant_moving m WHERE m.tenant_id = OLD.tenant_id AND m.state <> 'copying';
	INSERT INTO tenant_move_journal (tenant_id, tbl, k) VALUES (OLD.tenant_id, 'tenant_token_policy', json_array());
END;--> statement-breakpoint
-- 2. Workload identity federation (RFC 7523 client assertions at /oauth/token): the Entra
--    application whose tokens the tenant's trust accepts is `app_id` (added by 0015, which binds
--    Entra-issued bearer tokens to it too); here the audience an assertion may carry besides our
--    token endpoint (`assertion_audience`, e.g. api://{app id}).
ALTER TABLE `entra_token_trust` ADD `assertion_audience` text;--> statement-breakpoint
-- 3. Client assertions already exchanged, until they expire: an assertion is good once. Kept in
--    the directory database (no tenant column: the key is the issuer and the token's id).
CREATE TABLE `client_assertion_replay` (
	`issuer` text NOT NULL,
	`jti` text NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`issuer`, `jti`)
);
--> statement-breakpoint
CREATE INDEX `client_assertion_replay_expires_idx` ON `client_assertion_replay` (`expires_at`);
--> statement-breakpoint
-- 4. The customer's request log reads the audit log: per SCIM write also the resource's name as
--    the client sent it (userName / displayName; never the rest of the body) and the SCIM error we
--    answered (scimType, detail), so a failure can be explained in plain words.
ALTER TABLE `audit_log` ADD `resource_name` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `error_type` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `error_detail` text;
