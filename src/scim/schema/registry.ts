// The schema set of each resource type, and case-insensitive, URN-aware attribute lookup.
// Every other module (validation, projection, filters, PATCH, /Schemas) resolves names here.
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "../urns";
import type { AttributePath } from "../filter/ast";
import type { AttributeDefinition, ResourceTypeDefinition, ResourceTypeName, SchemaDefinition } from "./attribute";
import { commonAttributes } from "./common";
import { coreGroupSchema } from "./core-group";
import { coreUserSchema } from "./core-user";
import { enterpriseUserSchema } from "./enterprise-user";

export const resourceTypes: readonly ResourceTypeDefinition[] = [
  {
    name: "User",
    endpoint: "/Users",
    description: "User Account",
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
  },
  { name: "Group", endpoint: "/Groups", description: "Group", schema: GROUP_SCHEMA, schemaExtensions: [] },
];

export const allSchemas: readonly SchemaDefinition[] = [coreUserSchema, enterpriseUserSchema, coreGroupSchema];

const schemaById = new Map(allSchemas.map((s) => [s.id.toLowerCase(), s]));

export function findSchema(urn: string): SchemaDefinition | undefined {
  return schemaById.get(urn.toLowerCase());
}

export function resourceType(name: ResourceTypeName): ResourceTypeDefinition {
  return resourceTypes.find((r) => r.name === name)!;
}

/** The core schema and the extension schemas of a resource type. */
export function schemasOf(name: ResourceTypeName): { core: SchemaDefinition; extensions: SchemaDefinition[] } {
  const rt = resourceType(name);
  return {
    core: findSchema(rt.schema)!,
    extensions: rt.schemaExtensions.map((e) => findSchema(e.schema)!),
  };
}

export function findAttributeIn(attributes: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const lc = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lc);
}

export interface ResolvedAttribute {
  /** The schema URN the attribute belongs to (core URN for common attributes). */
  schema: string;
  /** True when the attribute lives under an extension URN key in the document. */
  extension: boolean;
  attribute: AttributeDefinition;
  subAttribute?: AttributeDefinition;
}

/**
 * Resolve `urn:…:attr.sub` (already split into an AttributePath) for a resource type.
 * Returns undefined when the attribute or sub-attribute does not exist.
 */
export function resolveAttribute(type: ResourceTypeName, path: AttributePath): ResolvedAttribute | undefined {
  const { core, extensions } = schemasOf(type);
  let schema: SchemaDefinition;
  let candidates: readonly AttributeDefinition[];
  if (path.urn) {
    const found = [core, ...extensions].find((s) => s.id.toLowerCase() === path.urn!.toLowerCase());
    if (!found) return undefined;
    schema = found;
    candidates = found === core ? [...commonAttributes, ...core.attributes] : found.attributes;
  } else {
    schema = core;
    candidates = [...commonAttributes, ...core.attributes];
  }
  const attribute = findAttributeIn(candidates, path.attribute);
  if (!attribute) return undefined;
  if (path.subAttribute === undefined) {
    return { schema: schema.id, extension: schema !== core, attribute };
  }
  const subAttribute = attribute.subAttributes ? findAttributeIn(attribute.subAttributes, path.subAttribute) : undefined;
  if (!subAttribute) return undefined;
  return { schema: schema.id, extension: schema !== core, attribute, subAttribute };
}

/** Split `urn:…:User:attr.sub` / `attr.sub` / `attr` into an AttributePath (no filters). */
export function splitAttributeName(text: string, type: ResourceTypeName): AttributePath {
  const { core, extensions } = schemasOf(type);
  const lc = text.toLowerCase();
  for (const schema of [...extensions, core]) {
    const id = schema.id.toLowerCase();
    // Entra's legacy form separates the extension URN from the attribute with "." (ENTRA.md U13).
    if (lc.startsWith(`${id}:`) || lc.startsWith(`${id}.`)) {
      return { urn: schema.id, ...splitDotted(text.slice(id.length + 1)) };
    }
  }
  return splitDotted(text);
}

function splitDotted(text: string): AttributePath {
  const dot = text.indexOf(".");
  if (dot < 0) return { attribute: text };
  return { attribute: text.slice(0, dot), subAttribute: text.slice(dot + 1) };
}
