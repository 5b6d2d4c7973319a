-- Substring filters (co, sw, ew) on users by index: an FTS5 trigram table over the attributes
-- they can name. Triggers keep it in step with every write to users, inside the same statement
-- (so inside the same D1 batch), whoever writes. The indexed text is exactly the expression the
-- filter compiler compares (src/storage/filter-sql.ts), so a match is a superset of the true
-- matches; the compiler re-checks each candidate with the exact predicate.
CREATE TABLE `user_search_keys` (
	`key` integer PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_search_keys_user_uq` ON `user_search_keys` (`tenant_id`,`user_id`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `users_search` USING fts5(
	user_name, display_name, external_id, emails,
	name_formatted, name_family_name, name_given_name, name_middle_name, name_honorific_prefix, name_honorific_suffix,
	tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1
);
--> statement-breakpoint
CREATE TRIGGER `users_search_insert` AFTER INSERT ON `users` BEGIN
	INSERT INTO user_search_keys (tenant_id, user_id) VALUES (new.tenant_id, new.id);
	INSERT INTO users_search (rowid, user_name, display_name, external_id, emails,
		name_formatted, name_family_name, name_given_name, name_middle_name, name_honorific_prefix, name_honorific_suffix)
	VALUES (
		(SELECT key FROM user_search_keys WHERE tenant_id = new.tenant_id AND user_id = new.id),
		new.user_name_lc, new.display_name_lc, new.external_id,
		(SELECT group_concat(lower(json_extract(e.value, '$.value')), char(10)) FROM json_each(new.doc, '$.emails') e),
		lower(json_extract(new.doc, '$.name.formatted')), lower(json_extract(new.doc, '$.name.familyName')),
		lower(json_extract(new.doc, '$.name.givenName')), lower(json_extract(new.doc, '$.name.middleName')),
		lower(json_extract(new.doc, '$.name.honorificPrefix')), lower(json_extract(new.doc, '$.name.honorificSuffix')));
END;
--> statement-breakpoint
CREATE TRIGGER `users_search_update` AFTER UPDATE OF user_name_lc, display_name_lc, external_id, doc ON `users` BEGIN
	DELETE FROM users_search WHERE rowid = (SELECT key FROM user_search_keys WHERE tenant_id = old.tenant_id AND user_id = old.id);
	INSERT INTO users_search (rowid, user_name, display_name, external_id, emails,
		name_formatted, name_family_name, name_given_name, name_middle_name, name_honorific_prefix, name_honorific_suffix)
	VALUES (
		(SELECT key FROM user_search_keys WHERE tenant_id = new.tenant_id AND user_id = new.id),
		new.user_name_lc, new.display_name_lc, new.external_id,
		(SELECT group_concat(lower(json_extract(e.value, '$.value')), char(10)) FROM json_each(new.doc, '$.emails') e),
		lower(json_extract(new.doc, '$.name.formatted')), lower(json_extract(new.doc, '$.name.familyName')),
		lower(json_extract(new.doc, '$.name.givenName')), lower(json_extract(new.doc, '$.name.middleName')),
		lower(json_extract(new.doc, '$.name.honorificPrefix')), lower(json_extract(new.doc, '$.name.honorificSuffix')));
END;
--> statement-breakpoint
CREATE TRIGGER `users_search_delete` AFTER DELETE ON `users` BEGIN
	DELETE FROM users_search WHERE rowid = (SELECT key FROM user_search_keys WHERE tenant_id = old.tenant_id AND user_id = old.id);
	DELETE FROM user_search_keys WHERE tenant_id = old.tenant_id AND user_id = old.id;
END;
--> statement-breakpoint
-- Users that existed before this migration.
INSERT INTO user_search_keys (tenant_id, user_id) SELECT tenant_id, id FROM users;
--> statement-breakpoint
INSERT INTO users_search (rowid, user_name, display_name, external_id, emails,
	name_formatted, name_family_name, name_given_name, name_middle_name, name_honorific_prefix, name_honorific_suffix)
SELECT k.key, u.user_name_lc, u.display_name_lc, u.external_id,
	(SELECT group_concat(lower(json_extract(e.value, '$.value')), char(10)) FROM json_each(u.doc, '$.emails') e),
	lower(json_extract(u.doc, '$.name.formatted')), lower(json_extract(u.doc, '$.name.familyName')),
	lower(json_extract(u.doc, '$.name.givenName')), lower(json_extract(u.doc, '$.name.middleName')),
	lower(json_extract(u.doc, '$.name.honorificPrefix')), lower(json_extract(u.doc, '$.name.honorificSuffix'))
FROM users u JOIN user_search_keys k ON k.tenant_id = u.tenant_id AND k.user_id = u.id;
--> statement-breakpoint
-- Never holds a row: a SCIM write batch starts with `INSERT … SELECT 0 WHERE NOT EXISTS (live
-- token)`, so a revoked token's write fails this CHECK and D1 rolls the whole batch back.
CREATE TABLE `auth_guards` (
	`ok` integer NOT NULL,
	CONSTRAINT "token_revoked" CHECK("auth_guards"."ok" = 1)
);
