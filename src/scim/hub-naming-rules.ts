// The Device Hub's naming rules, in one place: the SCIM-time check, the sync's parking reason and
// the Device Hub emulator (test/emulators/device-hub) all import this module. Pure, no imports.

/** Letters (any script, with combining marks), digits, spaces and `.` `,` `-`; nothing else. */
const NAME_ALLOWED = /[\p{L}\p{M}0-9 .,-]/u;
/** Characters the hub refuses in an email address. */
const EMAIL_BANNED = new Set(['#', '%', '*', '(', ')', '=', '[', ']', '|', '\\', '"', ';', ':', '<', '>', ',', '?', '/']);

export const NAME_RULE = "names may contain only letters, digits, spaces and . , - (no underscore)";
export const EMAIL_RULE = 'email addresses may not contain # % * ( ) = [ ] | \\ " ; : < > , ? /';

/** The code the hub answers (400) for a value that breaks these rules (docs/device-hub-api.md). */
export const NAMING_RULE_CODE = "naming_rule_violation";

const unique = (chars: string[]): string[] => [...new Set(chars)];

/** The characters of a first or last name the hub refuses, in order of appearance (empty: fine). */
export const badNameCharacters = (value: string): string[] => unique([...value].filter((ch) => !NAME_ALLOWED.test(ch)));

/** The characters of an email address the hub refuses (empty: fine). */
export const badEmailCharacters = (value: string): string[] => unique([...value].filter((ch) => EMAIL_BANNED.has(ch)));

export type HubNamedField = "givenName" | "familyName" | "email";

export interface NamingViolation {
  field: HubNamedField;
  value: string;
  characters: string[];
  rule: string;
}

/** Check the hub's named fields (null/absent fields are not checked); one entry per bad field. */
export function hubNamingViolations(fields: Partial<Record<HubNamedField, string | null>>): NamingViolation[] {
  const out: NamingViolation[] = [];
  for (const field of ["givenName", "familyName", "email"] as const) {
    const value = fields[field];
    if (typeof value !== "string") continue;
    const characters = field === "email" ? badEmailCharacters(value) : badNameCharacters(value);
    if (characters.length > 0) out.push({ field, value, characters, rule: field === "email" ? EMAIL_RULE : NAME_RULE });
  }
  return out;
}

const shown = (chars: string[]) => chars.map((c) => (c === " " ? "space" : JSON.stringify(c))).join(", ");

/** Long values are cut in messages: reasons are stored with a length cap (500 characters). */
const quoted = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value);

/** One sentence an admin understands: `givenName "Ann_Marie" contains "_"; names may contain …`. */
export const describeViolation = (v: NamingViolation, label: string = v.field): string =>
  `${label} ${quoted(v.value)} contains ${shown(v.characters.slice(0, 10))}; ${v.rule}`;
