// Renders the /Schemas and /ResourceTypes documents (RFC 7643 §6, §7) from the schema definitions:
// the same data that drives validation and projection, so the discovery output cannot drift.
// Never emits null: optional fields are left out when absent.
import { GROUP_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, USER_SCHEMA } from "../urns";
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from "./attribute";
import { commonAttributes } from "./common";
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

/**
 * The core resource schemas also list the common attributes (id, externalId, meta). RFC 7643 §3.1
 * lets a server leave them out, but clients that discover what they may map from /Schemas (Entra's
 * gallery validation flattens it and looks for `externalId`) only see what is listed. Extensions
 * do not repeat them: they belong to the resource, not to each schema.
 */
const listsCommonAttributes = (schema: SchemaDefinition) => schema.id === USER_SCHEMA || schema.id === GROUP_SCHEMA;

/** One Schema resource (RFC 7643 §7). */
export function renderSchema(schema: SchemaDefinition, baseUrl: string): Record<string, unknown> {
  const attributes = listsCommonAttributes(schema) ? [...commonAttributes, ...schema.attributes] : schema.attributes;
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: attributes.map(renderAttribute),
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
