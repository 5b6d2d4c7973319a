-- Device Hub sync convergence (docs/device-hub.md).
-- An adoption not finished yet: the hub user does not carry our externalRef. The next run writes
-- it first; until then the ledger (not the hub's externalRef) says the hub user is ours.
ALTER TABLE `hub_owned` ADD `ref_pending` integer DEFAULT false NOT NULL;
-- A deletion the admin confirmed (POST …/confirm-deletions): the held deletion items of that
-- moment are marked until the confirmation expires; only they pass the mass-delete guard.
ALTER TABLE `sync_work` ADD `delete_confirmed_until` text;
