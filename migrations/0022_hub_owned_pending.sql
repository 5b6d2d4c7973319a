-- Every Device Hub sync run first looks for adoptions whose externalRef has not reached the hub
-- (hub_owned.ref_pending). Without an index that read walked the tenant's whole ownership ledger:
-- 400,000 rows read per run for a tenant of 400,000 users, in every incremental cycle. Partial:
-- only pending adoptions are indexed, so a ledger write costs no extra index entry.
CREATE INDEX `hub_owned_ref_pending_idx` ON `hub_owned` (`tenant_id`,`kind`,`scim_id`) WHERE `ref_pending` = 1 AND `hub_id` IS NOT NULL;
