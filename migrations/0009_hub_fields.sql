-- Per-tenant Device Hub user-field options (docs/device-hub.md "Attribute mapping" and "Naming rules"):
-- the preferred language sent when SCIM has none, the extension attributes mapped to hub fields
-- (JSON object hub field -> "<schema URN>:<attribute>"; NULL = the built-in default mapping), and
-- whether SCIM writes refuse names the hub would refuse.
ALTER TABLE `hub_settings` ADD `default_preferred_language` text DEFAULT 'en-GB' NOT NULL;--> statement-breakpoint
ALTER TABLE `hub_settings` ADD `hub_field_map` text;--> statement-breakpoint
ALTER TABLE `hub_settings` ADD `enforce_naming_rules` integer DEFAULT false NOT NULL;
