// What Microsoft's gallery validation (the "SCIM Validation Logic App", SCIMTests_Workflow.json in
// AzureAD/SCIMReferenceCode) does with our answers, written out so test/entra/gallery.test.ts can
// run each of its direct tests through the real fetch handler.
import type { Json } from "./scim";

/**
 * Schema_Discoverability_Test's flattening of /Schemas, step for step: `manager`/`members` by
 * name; a complex multi-valued attribute whose `type` sub-attribute has canonical values becomes
 * `name[type eq "v"].sub` for every canonical value and every sub-attribute except type/primary
 * (without canonical values: `name[primary eq "True"].sub`); a complex single-valued one becomes
 * `name.sub` for its non-complex, non-reference sub-attributes; a simple non-reference attribute
 * is its name. Every schema other than core User and Group adds `<schema id>:<attr name>` to the
 * user list. Group extension schemas are not looked at by the workflow.
 */
export function flattenSchemas(resources: Json[]): { user: string[]; group: string[] } {
  const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  const flatten = (attributes: Json[]): string[] => {
    const out: string[] = [];
    for (const a of attributes) {
      if (a.name === "manager" || a.name === "members") {
        out.push(a.name);
      } else if (a.type === "complex" && (a.multiValued ?? false) === true) {
        const subs: Json[] = a.subAttributes ?? [];
        const typeSub = subs.filter((s) => s.name === "type");
        const canonical: string[] = typeSub[0]?.canonicalValues ?? [];
        if (typeSub.length > 0 && canonical.length > 0) {
          const filterable = subs.filter((s) => s.name !== "type" && s.name !== "primary");
          for (const v of canonical) for (const s of filterable) out.push(`${a.name}[type eq "${v}"].${s.name}`);
        } else {
          for (const s of subs.filter((s) => s.name !== "primary")) out.push(`${a.name}[primary eq "True"].${s.name}`);
        }
      } else if (a.type === "complex") {
        for (const s of (a.subAttributes ?? []) as Json[]) {
          if (s.type !== "complex" && s.type !== "reference") out.push(`${a.name}.${s.name}`);
        }
      } else if (a.type !== "reference") {
        out.push(a.name);
      }
    }
    return out;
  };
  const user = flatten(resources.find((r) => r.id === USER)?.attributes ?? []);
  for (const ext of resources.filter((r) => r.id !== USER && r.id !== GROUP)) {
    for (const a of (ext.attributes ?? []) as Json[]) user.push(`${ext.id}:${a.name}`);
  }
  const group = flatten(resources.find((r) => r.id === GROUP)?.attributes ?? []);
  return { user, group };
}

/** The workflow's comparison: case-insensitive, `id` is skipped; returns what is missing. */
export function missingAttributes(flattened: string[], targets: readonly string[]): string[] {
  const lookup = `|${flattened.join("|")}|`.toLowerCase();
  return targets.filter((name) => name !== "id" && !lookup.includes(`|${name.toLowerCase()}|`));
}

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/**
 * The target attributes of Entra's default attribute mapping for a non-gallery SCIM app, from
 * Microsoft Learn, "Develop and plan provisioning for a SCIM endpoint" (the user and group
 * attribute tables) and the default mapping a new "scim" job starts with (Customize attribute
 * mappings). `manager` is a reference in Entra's target schema; the rest are single-valued.
 */
export const ENTRA_DEFAULT_USER_TARGETS = [
  "userName",
  "active",
  "displayName",
  "title",
  'emails[type eq "work"].value',
  'emails[type eq "other"].value',
  "preferredLanguage",
  "name.givenName",
  "name.familyName",
  "name.formatted",
  'addresses[type eq "work"].formatted',
  'addresses[type eq "work"].streetAddress',
  'addresses[type eq "work"].locality',
  'addresses[type eq "work"].region',
  'addresses[type eq "work"].postalCode',
  'addresses[type eq "work"].country',
  'addresses[type eq "other"].formatted',
  'phoneNumbers[type eq "work"].value',
  'phoneNumbers[type eq "mobile"].value',
  'phoneNumbers[type eq "fax"].value',
  "externalId",
  `${ENTERPRISE}:employeeNumber`,
  `${ENTERPRISE}:department`,
  `${ENTERPRISE}:manager`,
] as const;

export const ENTRA_DEFAULT_GROUP_TARGETS = ["displayName", "externalId", "members"] as const;
