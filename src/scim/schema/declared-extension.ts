// An extension schema an admin declares for one tenant: the accepted shape (zod), the naming rules
// and limits, and its SchemaDefinition. Names are strict on purpose: they end up in JSON paths of
// SQL filters (storage/filter-sql.ts), so only letters, digits and a few URN punctuation marks pass.
import { z } from "zod";
import { invalidValue } from "../errors";
import type { AttributeDefinition, ResourceTypeName, SchemaDefinition } from "./attribute";
import { attr } from "./define";
import { builtInExtensions, type ExtensionDeclaration } from "./registry";
import type { Rewrite } from "../compat/entra";

export const MAX_EXTENSIONS_PER_TENANT = 20;
export const MAX_ATTRIBUTES_PER_EXTENSION = 50;

/** `urn:<nid>:…:<Name>`: the last segment is a plain name, so `urn:…:User:attr` and `urn:…:User.attr` split cleanly. */
export const EXTENSION_URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}(:[A-Za-z0-9._-]+)*:[A-Za-z][A-Za-z0-9]*$/;
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** RFC 7643's own namespaces; an extension there would shadow a standard schema or message. */
const RESERVED_PREFIXES = ["urn:ietf:params:scim:schemas:core:", "urn:ietf:params:scim:api:"];

const Attribute = z.strictObject({
  name: z.string().regex(ATTRIBUTE_NAME, "attribute names are a letter followed by letters, digits or _ (at most 64)"),
  type: z.enum(["string", "boolean", "decimal", "integer", "dateTime", "reference", "binary"]),
  multiValued: z.boolean().default(false),
  description: z.string().max(500).default(""),
  caseExact: z.boolean().default(false),
  returned: z.enum(["always", "never", "default", "request"]).default("default"),
  uniqueness: z.enum(["none", "server", "global"]).default("none"),
});

export const ExtensionBody = z.strictObject({
  resourceType: z.enum(["User", "Group"]).default("User"),
  name: z.string().min(1).max(100).optional(),
  description: z.string().max(500).default(""),
  attributes: z.array(Attribute).min(1).max(MAX_ATTRIBUTES_PER_EXTENSION),
});

export type ExtensionSpec = z.output<typeof ExtensionBody> & { urn: string };

/** Check a declaration (URN from the path, body from the admin); 400 with the first problem. */
export function parseExtensionDeclaration(urn: string, body: unknown): ExtensionSpec {
  if (urn.length > 200 || !EXTENSION_URN.test(urn)) {
    throw invalidValue(`"${urn.slice(0, 200)}" is not an extension URN such as urn:example:params:scim:schemas:extension:acme:2.0:User`);
  }
  const lc = urn.toLowerCase();
  if (RESERVED_PREFIXES.some((p) => lc.startsWith(p))) throw invalidValue(`${urn} lies in a namespace reserved by RFC 7643`);
  if (builtInExtensions.some((e) => e.schema.id.toLowerCase() === lc)) throw invalidValue(`${urn} is built in and cannot be redeclared`);
  const parsed = ExtensionBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidValue(`${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  const seen = new Set<string>();
  for (const a of parsed.data.attributes) {
    if (seen.has(a.name.toLowerCase())) throw invalidValue(`attribute "${a.name}" is declared twice (names are case-insensitive)`);
    seen.add(a.name.toLowerCase());
  }
  return { ...parsed.data, urn };
}

export function extensionSchema(spec: ExtensionSpec): SchemaDefinition {
  const attributes: AttributeDefinition[] = spec.attributes.map((a) =>
    attr(a.name, a.type, a.description, {
      multiValued: a.multiValued,
      caseExact: a.caseExact,
      returned: a.returned,
      uniqueness: a.uniqueness,
    }),
  );
  return { id: spec.urn, name: spec.name ?? defaultName(spec.urn), description: spec.description, attributes };
}

/** `urn:…:extension:CustomExtension:2.0:User` → "CustomExtension"; otherwise the last segment. */
function defaultName(urn: string): string {
  const segments = urn.split(":");
  const at = segments.findIndex((s) => s.toLowerCase() === "extension");
  return (at >= 0 ? segments[at + 1] : undefined) ?? segments.at(-1)!;
}

export const toDeclaration = (spec: ExtensionSpec): ExtensionDeclaration => ({
  resourceType: spec.resourceType as ResourceTypeName,
  schema: extensionSchema(spec),
});

/**
 * Entra sends the extension attributes an admin mapped whether or not they were declared here.
 * They are dropped (answered without them) and counted per URN, so the admin sees what is lost.
 * Returns false (noting nothing) for a key that is not URN-shaped or lies in RFC 7643's namespaces.
 */
export function noteUndeclaredExtension(rewrites: Rewrite[], key: string, value: unknown): boolean {
  if (!/^urn:/i.test(key) || RESERVED_PREFIXES.some((p) => key.toLowerCase().startsWith(p))) return false;
  const wholeObject = value !== null && typeof value === "object" && !Array.isArray(value);
  let urn = wholeObject ? key : key.slice(0, key.lastIndexOf(":"));
  // `urn:…:User.attr` (the dot form): the URN ends before the dot of the last segment.
  if (!wholeObject) {
    const last = key.slice(key.lastIndexOf(":") + 1);
    if (last.includes(".")) urn = `${urn}:${last.slice(0, last.indexOf("."))}`;
  }
  const name: Rewrite = urn.length <= 120 && EXTENSION_URN.test(urn) ? `undeclaredExtension:${urn}` : "undeclaredExtension";
  if (!rewrites.includes(name)) rewrites.push(name);
  return true;
}
