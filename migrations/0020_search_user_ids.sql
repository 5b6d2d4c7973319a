-- The substring index carries each user's id (an UNINDEXED column, stored with
-- contentless_unindexed = 1), so a substring filter reads a candidate's user row straight from the
-- index entry: two rows read per candidate (the entry and the user) instead of four (entry,
-- user_search_keys row, the list of ids, the user). The FTS rowid is still user_search_keys.key,
-- which orders a substring-filtered list and lets its pages continue after a key
-- (src/scim/storage/trigram-walk.ts). The table is rebuilt: FTS5 cannot add a column.
DROP TRIGGER `users_search_insert`;
--> statement-breakpoint
DROP TRIGGER `users_search_update`;
--> statement-breakpoint
DROP TRIGGER `users_search_delete`;
--> statement-breakpoint
DROP TABLE `users_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `users_search` USING fts5(
	user_id UNINDEXED,
	user_name, display_name, external_id, emails,
	name_formatted, name_family_name, name_given_name, name_middle_name, name_honorific_prefix, name_honorific_suffix,
	tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1, contentless_unindexed = 1
);
--> statement-breakpoint
CREATE TRIGGER `users_search_insert` AFTER INSERT ON `users` BEGIN
	INSERT INTO user_search_keys (tenant_id, user_id) VALUES (new.tenant_id, new.id);
	INSERT INTO users_search (rowid, user_id, user_name, display_name, external_id, emails,
		name_formatted, name_family_name, name_given_name, name_middle_name, name_honorific_prefix, name_honorific_suffix)
	VALUES (
		(SELECT key FROM user_search_keys WHERE tenant_id = new.tenant_id AND user_id = new.id), new.id,
		new.user_name_lc, new.display_name_lc, new.external_id,
		(SELECT group_concat(lower(json_extract(e.value, '$.value')), char(10)) FROM json_each(new.doc, '$.emails') e),
		lower(json_extract(new.doc, '$.name.formatted')), lower(json_extract(new.doc, '$.name.familyName')),
		lower(json_extract(new.doc, '$.name.givenName')), lower(json_extract(new.doc, '$.name.middleName')),
		lower(json_extract(new.doc, '$.name.honorificPrefix')), lower(json_extract(new.doc, '$.name.honorificSuffix')));
END;
--> statement-breakpoint
CREATE TRIGGER `users_search_update` AFTER UPDATE OF user_name_lc, display_name_lc, external_id, doc ON `users` BEGIN
	DELETE FROM users_search WHERE rowid = (SELECT key FROM user_search_keys WHERE tenant_id = old.tenant_id AND user_id = old.id);
	INSERT INTO users_search (rowid, user_id, user_name, display_name, external_id, emails,
		name_formatted, name_family_name, name_given_name, name_middle_name, name_honorific_prefix, name_honorific_suffix)
	VALUES (
		(SELECT key FROM user_search_keys WHERE tenant_id = new.tenant_id AND user_id = new.id), new.id,
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
-- Every existing user again (the keys stay as they were).
INSERT INTO users_search (rowid, user_id, user_name, display_name, external_id, emails,
	name_formatted, name_family_name, name_given_name, name_middle_name, name_honorific_prefix, name_honorific_suffix)
SELECT k.key, u.id, u.user_name_lc, u.display_name_lc, u.external_id,
	(SELECT group_concat(lower(json_extract(e.value, '$.value')), char(10)) FROM json_each(u.doc, '$.emails') e),
	lower(json_extract(u.doc, '$.name.formatted')), lower(json_extract(u.doc, '$.name.familyName')),
	lower(json_extract(u.doc, '$.name.givenName')), lower(json_extract(u.doc, '$.name.middleName')),
	lower(json_extract(u.doc, '$.name.honorificPrefix')), lower(json_extract(u.doc, '$.name.honorificSuffix'))
FROM users u JOIN user_search_keys k ON k.tenant_id = u.tenant_id AND k.user_id = u.id;
