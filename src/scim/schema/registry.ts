// The schema set of each resource type, per tenant, and case-insensitive, URN-aware attribute
// lookup. Every other module (validation, projection, filters, PATCH, /Schemas) resolves names here.
import type { AttributePath } from "../filter/ast";
import type { AttributeDefinition, ResourceTypeDefinition, ResourceTypeName, SchemaDefinition } from "./attribute";
import { commonAttributes } from "./common";
import { coreGroupSchema } from "./core-group";
import { coreUserSchema } from "./core-user";
import { enterpriseUserSchema } from "./enterprise-user";
import { additionalAttributesSchema } from "./additional-attributes";

/** A declared extension schema and the resource type it extends. */
export interface ExtensionDeclaration {
  resourceType: ResourceTypeName;
  schema: SchemaDefinition;
}

/**
 * The schemas one tenant's resources are read and written against: the core schemas, the
 * extensions every tenant has, and the tenant's own declared extensions. Built once per request
 * (src/scim/http/tenant-schemas.ts) and passed down; pure code never looks a tenant up.
 */
export interface SchemaRegistry {
  readonly resourceTypes: readonly ResourceTypeDefinition[];
  /** Every schema, core User first (the order Entra and the RFC examples use). */
  readonly schemas: readonly SchemaDefinition[];
}

/** Extensions declared for every tenant (they cannot be removed). */
export const builtInExtensions: readonly ExtensionDeclaration[] = [
  { resourceType: "User", schema: enterpriseUserSchema },
  { resourceType: "User", schema: additionalAttributesSchema },
];

const CORE_TYPES = [
  { name: "User", endpoint: "/Users", description: "User Account", schema: coreUserSchema },
  { name: "Group", endpoint: "/Groups", description: "Group", schema: coreGroupSchema },
] as const;

export function buildRegistry(declared: readonly ExtensionDeclaration[]): SchemaRegistry {
  const extensions = [...builtInExtensions, ...declared];
  const resourceTypes = CORE_TYPES.map((t) => ({
    name: t.name,
    endpoint: t.endpoint,
    description: t.description,
    schema: t.schema.id,
    schemaExtensions: extensions.filter((e) => e.resourceType === t.name).map((e) => ({ schema: e.schema.id, required: false })),
  }));
  const extensionsOf = (name: ResourceTypeName) => extensions.filter((e) => e.resourceType === name).map((e) => e.schema);
  return { resourceTypes, schemas: [coreUserSchema, ...extensionsOf("User"), coreGroupSchema, ...extensionsOf("Group")] };
}

/** The schemas of a tenant that declared nothing: what unit code and tools use by default. */
export const builtInRegistry: SchemaRegistry = buildRegistry([]);

export function findSchema(urn: string, registry: SchemaRegistry = builtInRegistry): SchemaDefinition | undefined {
  const lc = urn.toLowerCase();
  return registry.schemas.find((s) => s.id.toLowerCase() === lc);
}

export function resourceType(name: ResourceTypeName, registry: SchemaRegistry = builtInRegistry): ResourceTypeDefinition {
  return registry.resourceTypes.find((r) => r.name === name)!;
}

/** The core schema and the extension schemas of a resource type. */
export function schemasOf(
  name: ResourceTypeName,
  registry: SchemaRegistry = builtInRegistry,
): { core: SchemaDefinition; extensions: SchemaDefinition[] } {
  const rt = resourceType(name, registry);
  return {
    core: findSchema(rt.schema, registry)!,
    extensions: rt.schemaExtensions.map((e) => findSchema(e.schema, registry)!),
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
export function resolveAttribute(
  type: ResourceTypeName,
  path: AttributePath,
  registry: SchemaRegistry = builtInRegistry,
): ResolvedAttribute | undefined {
  const { core, extensions } = schemasOf(type, registry);
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
export function splitAttributeName(text: string, type: ResourceTypeName, registry: SchemaRegistry = builtInRegistry): AttributePath {
  const { core, extensions } = schemasOf(type, registry);
  const lc = text.toLowerCase();
  for (const schema of [...extensions, core]) {
    const id = schema.id.toLowerCase();
    // Entra's legacy form separates the extension URN from the attribute with ".".
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
