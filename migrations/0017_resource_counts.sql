-- Cost that does not grow with the tenant (docs/performance.md "Budgets per request shape").
-- resource_counts holds each tenant's number of users and of groups, kept by triggers inside the
-- statement that inserts or deletes the row (so inside the same D1 batch), whoever writes: the SCIM
-- routes, Bulk, the tenant purge, a tenant move's copy, journal replay and purge. An unfiltered
-- list reads its totalResults here (one row) instead of counting the tenant. `gen` changes on every
-- insert and delete: a list walk's remembered position (src/storage/list-walk.ts) is trusted only
-- while it is unchanged. It starts at a random value, so a row deleted at zero and created again
-- never repeats an earlier (n, gen) pair. Not copied by a move: the destination's triggers rebuild it.
CREATE TABLE `resource_counts` (
	`tenant_id` text NOT NULL,
	`resource_type` text NOT NULL,
	`n` integer NOT NULL,
	`gen` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `resource_type`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `resource_counts_users_insert` AFTER INSERT ON `users` BEGIN
	INSERT INTO resource_counts (tenant_id, resource_type, n, gen) VALUES (new.tenant_id, 'User', 1, abs(random() % 1000000000))
	ON CONFLICT (tenant_id, resource_type) DO UPDATE SET n = n + 1, gen = gen + 1;
END;
--> statement-breakpoint
-- At zero the row goes, so a purged tenant leaves nothing behind.
CREATE TRIGGER `resource_counts_users_delete` AFTER DELETE ON `users` BEGIN
	UPDATE resource_counts SET n = n - 1, gen = gen + 1 WHERE tenant_id = old.tenant_id AND resource_type = 'User';
	DELETE FROM resource_counts WHERE tenant_id = old.tenant_id AND resource_type = 'User' AND n <= 0;
END;
--> statement-breakpoint
CREATE TRIGGER `resource_counts_groups_insert` AFTER INSERT ON `groups` BEGIN
	INSERT INTO resource_counts (tenant_id, resource_type, n, gen) VALUES (new.tenant_id, 'Group', 1, abs(random() % 1000000000))
	ON CONFLICT (tenant_id, resource_type) DO UPDATE SET n = n + 1, gen = gen + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `resource_counts_groups_delete` AFTER DELETE ON `groups` BEGIN
	UPDATE resource_counts SET n = n - 1, gen = gen + 1 WHERE tenant_id = old.tenant_id AND resource_type = 'Group';
	DELETE FROM resource_counts WHERE tenant_id = old.tenant_id AND resource_type = 'Group' AND n <= 0;
END;
--> statement-breakpoint
-- Tenants that existed before this migration.
INSERT INTO resource_counts (tenant_id, resource_type, n, gen)
SELECT tenant_id, 'User', count(*), abs(random() % 1000000000) FROM users GROUP BY tenant_id;
--> statement-breakpoint
INSERT INTO resource_counts (tenant_id, resource_type, n, gen)
SELECT tenant_id, 'Group', count(*), abs(random() % 1000000000) FROM groups GROUP BY tenant_id;
