-- Issue 23: every tenant credential records who created it ('operator', 'session:<id>',
-- 'api-token:<id>'; NULL for tokens a client got from the token endpoint itself, and for rows from
-- before this migration) and whether it ends when its creator ends (sign-out, setup-link
-- revocation, API token revocation). A portal session's CSRF token is random and stored hashed
-- (NULL for sessions opened before this migration: they keep the derived token until they expire).
-- The Entra trust records the Entra application id its tokens must carry (appid/azp).
ALTER TABLE `scim_clients` ADD `created_by` text;--> statement-breakpoint
ALTER TABLE `scim_clients` ADD `ends_with_creator` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `issued_tokens` ADD `created_by` text;--> statement-breakpoint
ALTER TABLE `issued_tokens` ADD `ends_with_creator` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenant_api_tokens` ADD `created_by` text;--> statement-breakpoint
ALTER TABLE `tenant_api_tokens` ADD `ends_with_creator` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `portal_sessions` ADD `csrf_hash` text;--> statement-breakpoint
CREATE INDEX `scim_clients_creator_idx` ON `scim_clients` (`tenant_id`, `created_by`);--> statement-breakpoint
CREATE INDEX `issued_tokens_creator_idx` ON `issued_tokens` (`tenant_id`, `created_by`);--> statement-breakpoint
CREATE INDEX `tenant_api_tokens_creator_idx` ON `tenant_api_tokens` (`tenant_id`, `created_by`);--> statement-breakpoint
ALTER TABLE `entra_token_trust` ADD `app_id` text;--> statement-breakpoint
ALTER TABLE `entra_trust_directory` ADD `app_id` text;
