-- The two membership work kinds had names one letter apart ("member", "members"): rename them to
-- "membership" (one user in one group) and "groupMembership" (a group's whole membership).
UPDATE `sync_work` SET `kind` = 'membership' WHERE `kind` = 'member';
--> statement-breakpoint
UPDATE `sync_work` SET `kind` = 'groupMembership' WHERE `kind` = 'members';
