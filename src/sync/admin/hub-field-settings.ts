// The Device Hub settings that shape what the hub receives (docs/device-hub.md "Operations"): the
// default preferred language, the extension-attribute → hub-field mapping and the SCIM-time naming
// rules option, and how long a deleted user's hub account is kept. Their zod shapes, their JSON form, and whether a change needs a full sweep.
import { z } from "zod";
import type { HubSettingsRow } from "../storage/sync-state";
import { DEFAULT_HUB_FIELD_MAP, DEFAULT_PREFERRED_LANGUAGE, EXTENSION_SOURCE, MAPPABLE_HUB_FIELDS } from "../hub/hub-user-fields";

const source = z
  .string()
  .max(300)
  .regex(EXTENSION_SOURCE, 'must be "<schema URN>:<attribute>", e.g. "urn:ietf:params:scim:schemas:extension:customextensionname:2.0:User:floor"');

const HubFieldMapBody = z
  .strictObject(Object.fromEntries(MAPPABLE_HUB_FIELDS.map((f) => [f, source.nullable().optional()])) as Record<(typeof MAPPABLE_HUB_FIELDS)[number], z.ZodOptional<z.ZodNullable<typeof source>>>)
  // Unmapped fields are left out of the stored map: they reach the hub as null.
  .transform((m) => Object.fromEntries(Object.entries(m).filter((e): e is [string, string] => typeof e[1] === "string")));

/** A BCP 47 language tag as SCIM's preferredLanguage carries it (en-GB, de, zh-Hant-TW). */
const language = z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/, 'must be a language tag such as "en-GB"');

/**
 * Days a deleted SCIM user's hub account is kept (deactivated) before it is deleted, so a re-create
 * of the same userName relinks it instead of making a new account (docs/device-hub.md#kept-hub-accounts).
 * 30 like Entra's own soft delete; 0: delete at once.
 */
export const DEFAULT_DELETED_USER_GRACE_DAYS = 30;
const graceDays = z.number().int().min(0).max(365);

/**
 * Fields of PUT …/device-hub, all optional. An absent one keeps its stored value (its default on
 * the first PUT), so re-entering the URL or rotating the key does not reset these options.
 */
export const hubFieldSettingsShape = {
  defaultPreferredLanguage: language.optional(),
  /** null: the default mapping (the additional-attributes extension's floor, officeLocation, workMode). */
  hubFieldMap: HubFieldMapBody.nullable().optional(),
  enforceNamingRules: z.boolean().optional(),
  deletedUserGraceDays: graceDays.optional(),
};

type HubFieldSettings = Pick<HubSettingsRow, "defaultPreferredLanguage" | "hubFieldMap" | "enforceNamingRules" | "deletedUserGraceDays">;

/** The options a PUT stores: the ones sent, else the stored ones, else the defaults. */
export const hubFieldSettingsOf = (body: Partial<HubFieldSettings>, old: HubSettingsRow | undefined): HubFieldSettings => ({
  defaultPreferredLanguage: body.defaultPreferredLanguage ?? old?.defaultPreferredLanguage ?? DEFAULT_PREFERRED_LANGUAGE,
  hubFieldMap: body.hubFieldMap !== undefined ? body.hubFieldMap : (old?.hubFieldMap ?? null),
  enforceNamingRules: body.enforceNamingRules ?? old?.enforceNamingRules ?? false,
  deletedUserGraceDays: body.deletedUserGraceDays ?? old?.deletedUserGraceDays ?? DEFAULT_DELETED_USER_GRACE_DAYS,
});

/** PATCH …/device-hub: change options without sending the API key again. */
export const HubSettingsPatchBody = z
  .strictObject({
    timeoutMs: z.number().int().min(100).max(30_000).optional(),
    logRetentionDays: z.number().int().min(1).max(365).optional(),
    defaultPreferredLanguage: language.optional(),
    hubFieldMap: HubFieldMapBody.nullable().optional(),
    enforceNamingRules: z.boolean().optional(),
    deletedUserGraceDays: graceDays.optional(),
    /** true: a SCIM change queues a sync within seconds; false: it waits for the scheduled run. */
    syncOnChange: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "send at least one setting to change");

export const hubFieldSettingsJson = (s: HubSettingsRow) => ({
  defaultPreferredLanguage: s.defaultPreferredLanguage,
  hubFieldMap: s.hubFieldMap ?? DEFAULT_HUB_FIELD_MAP,
  hubFieldMapIsDefault: s.hubFieldMap === null,
  enforceNamingRules: s.enforceNamingRules,
  deletedUserGraceDays: s.deletedUserGraceDays,
});

/** Hub users already synced carry the old values: a change of these needs a full sweep. */
export function hubFieldsChanged(old: HubSettingsRow | undefined, next: HubSettingsRow): boolean {
  if (!old) return false;
  const map = (s: HubSettingsRow) => JSON.stringify(Object.entries(s.hubFieldMap ?? DEFAULT_HUB_FIELD_MAP).sort());
  return old.defaultPreferredLanguage !== next.defaultPreferredLanguage || map(old) !== map(next);
}
