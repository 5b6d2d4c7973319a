-- Device Hub sync convergence (docs/device-hub.md).
-- An adoption not finished yet: the hub user does not carry our externalRef. The next run writes
-- it first; until then the ledger (not the hub's externalRef) says the hub user is ours.
ALTER TABLE `hub_owned` ADD `ref_pending` integer DEFAULT false NOT NULL;
