-- sync_meta (deployment-wide key/value bookkeeping) was never read or written: drop it.
DROP TABLE IF EXISTS `sync_meta`;
