// Renders the /Schemas and /ResourceTypes documents (RFC 7643 §6, §7) from the schema definitions:
// the same data that drives validation and projection, so the discovery output cannot drift.
// Never emits null: optional fields are left out when absent.
import { RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA } from "../urns";
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from "./attribute";
import { builtInRegistry, findSchema, type SchemaRegistry } from "./registry";

/** The wire form of one attribute definition (RFC 7643 §7 "attributes"). */
export function renderAttribute(def: AttributeDefinition): Record<string, unknown> {
  return {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: def.description,
    required: def.required,
    ...(def.canonicalValues?.length ? { canonicalValues: [...def.canonicalValues] } : {}),
    caseExact: def.caseExact,
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
    ...(def.referenceTypes?.length ? { referenceTypes: [...def.referenceTypes] } : {}),
    ...(def.subAttributes?.length ? { subAttributes: def.subAttributes.map(renderAttribute) } : {}),
  };
}

/** One Schema resource (RFC 7643 §7). Common attributes (id, externalId, meta) are not listed: §3.1. */
export function renderSchema(schema: SchemaDefinition, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(renderAttribute),
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

/** One ResourceType resource (RFC 7643 §6). */
export function renderResourceType(rt: ResourceTypeDefinition, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: rt.name,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema,
    ...(rt.schemaExtensions.length
      ? { schemaExtensions: rt.schemaExtensions.map((e) => ({ schema: e.schema, required: e.required })) }
      : {}),
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${rt.name}` },
  };
}

/** All schemas, core User first (the order Entra and the RFC examples use). */
export const renderSchemas = (baseUrl: string, registry: SchemaRegistry = builtInRegistry) =>
  registry.schemas.map((s) => renderSchema(s, baseUrl));

/** One schema by URN (case-insensitive), or undefined. */
export function renderSchemaById(
  urn: string,
  baseUrl: string,
  registry: SchemaRegistry = builtInRegistry,
): Record<string, unknown> | undefined {
  const schema = findSchema(urn, registry);
  return schema ? renderSchema(schema, baseUrl) : undefined;
}

/** All resource types, User first. */
export const renderResourceTypes = (baseUrl: string, registry: SchemaRegistry = builtInRegistry) =>
  registry.resourceTypes.map((rt) => renderResourceType(rt, baseUrl));

/** One resource type by name (case-insensitive), or undefined. */
export function renderResourceTypeByName(
  name: string,
  baseUrl: string,
  registry: SchemaRegistry = builtInRegistry,
): Record<string, unknown> | undefined {
  const rt = registry.resourceTypes.find((r) => r.name.toLowerCase() === name.toLowerCase());
  return rt ? renderResourceType(rt, baseUrl) : undefined;
}
