// The hub user fields beyond the basic profile (docs/device-hub.md "Attribute mapping"): mobile
// phone, preferred language (with the tenant's default), work country, and the tenant's mapping of
// extension attributes (read from the user document by schema URN) to hub fields. Pure.
import { ADDITIONAL_ATTRIBUTES_SCHEMA } from "../../scim/port";

/** The extension Eptura's guide documents for additional attributes (declared for every tenant). */
export const CUSTOM_EXTENSION_USER_SCHEMA = ADDITIONAL_ATTRIBUTES_SCHEMA;

/** Hub fields an extension attribute can be mapped to. */
export const MAPPABLE_HUB_FIELDS = ["floor", "officeLocation", "workMode"] as const;
export type MappableHubField = (typeof MAPPABLE_HUB_FIELDS)[number];

/** Hub field → "<schema URN>:<attribute>"; a field left out is not mapped (sent as null). */
export type HubFieldMap = Partial<Record<MappableHubField, string>>;

export const DEFAULT_HUB_FIELD_MAP: HubFieldMap = {
  floor: `${CUSTOM_EXTENSION_USER_SCHEMA}:floor`,
  officeLocation: `${CUSTOM_EXTENSION_USER_SCHEMA}:officeLocation`,
  workMode: `${CUSTOM_EXTENSION_USER_SCHEMA}:workMode`,
};

export const DEFAULT_PREFERRED_LANGUAGE = "en-GB";

export interface HubUserFieldOptions {
  defaultPreferredLanguage: string;
  hubFieldMap: HubFieldMap;
}

export const DEFAULT_HUB_USER_FIELD_OPTIONS: HubUserFieldOptions = {
  defaultPreferredLanguage: DEFAULT_PREFERRED_LANGUAGE,
  hubFieldMap: DEFAULT_HUB_FIELD_MAP,
};

/** "<urn>:<attribute>" with an attribute name as RFC 7643 §2.1 allows it. */
export const EXTENSION_SOURCE = /^(urn:[^\s]+):([A-Za-z][\w$-]*)$/i;

export interface HubExtraFields {
  mobilePhone: string | null;
  preferredLanguage: string | null;
  country: string | null;
  floor: string | null;
  officeLocation: string | null;
  workMode: string | null;
}

export const HUB_EXTRA_FIELDS = ["mobilePhone", "preferredLanguage", "country", ...MAPPABLE_HUB_FIELDS] as const;

const MAX_TEXT = 1024;
type Doc = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v.slice(0, MAX_TEXT) : null);
const obj = (v: unknown): Doc => (v && typeof v === "object" && !Array.isArray(v) ? (v as Doc) : {});
const list = (v: unknown): Doc[] => (Array.isArray(v) ? v.map(obj) : []);
const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : "");
/** SCIM attribute names and schema URNs are case-insensitive (RFC 7643 §2.1). */
const getCi = (o: Doc, key: string): unknown => o[key] ?? Object.entries(o).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];

const MOBILE_TYPES = new Set(["mobile", "cellular", "cell"]);

/** A phone of type mobile/cellular/cell (the primary one first), else the primary phone. */
export function mobilePhone(doc: Doc): string | null {
  const phones = list(doc["phoneNumbers"]).filter((p) => str(p["value"]) !== null);
  const mobiles = phones.filter((p) => MOBILE_TYPES.has(lower(p["type"])));
  const chosen = mobiles.find((p) => p["primary"] === true) ?? mobiles[0] ?? phones.find((p) => p["primary"] === true);
  return str(chosen?.["value"]);
}

/** The country of the work address (the primary work address first). */
export function workCountry(doc: Doc): string | null {
  const work = list(doc["addresses"]).filter((a) => lower(a["type"]) === "work" && str(a["country"]) !== null);
  return str((work.find((a) => a["primary"] === true) ?? work[0])?.["country"]);
}

/** A single-valued string (or number/boolean) attribute read by "<schema URN>:<attribute>". */
export function readBySource(doc: Doc, source: string): string | null {
  const match = EXTENSION_SOURCE.exec(source);
  if (!match) return null;
  const value = getCi(obj(getCi(doc, match[1]!)), match[2]!);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return str(value);
}

/** The mapped hub fields; every mappable field is present (null when unmapped or empty). */
export function mapExtensionFields(doc: Doc, map: HubFieldMap): Pick<HubExtraFields, MappableHubField> {
  const read = (field: MappableHubField) => {
    const source = map[field];
    return source ? readBySource(doc, source) : null;
  };
  return { floor: read("floor"), officeLocation: read("officeLocation"), workMode: read("workMode") };
}

export function hubExtraFields(doc: Doc, options: HubUserFieldOptions): HubExtraFields {
  return {
    mobilePhone: mobilePhone(doc),
    preferredLanguage: str(doc["preferredLanguage"]) ?? options.defaultPreferredLanguage,
    country: workCountry(doc),
    ...mapExtensionFields(doc, options.hubFieldMap),
  };
}

/** The options of a tenant's stored hub settings (null map: the default mapping). */
export const hubUserFieldOptions = (settings: { defaultPreferredLanguage: string; hubFieldMap: Record<string, string> | null }): HubUserFieldOptions => ({
  defaultPreferredLanguage: settings.defaultPreferredLanguage,
  hubFieldMap: settings.hubFieldMap ?? DEFAULT_HUB_FIELD_MAP,
});
