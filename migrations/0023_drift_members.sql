-- The drift report compares each hub group's members by identity (docs/device-hub.md#drift-report):
-- per SCIM membership, the report whose walk of the live hub group listed it, so SCIM members the
-- hub group lacks are found by a keyset read after the listing, however many pages it took.
ALTER TABLE `group_members` ADD `drift_seen` text;
