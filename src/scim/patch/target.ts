// Resolve a PATCH path (RFC 7644 §3.5.2 PATH grammar) or a path-less value key against the
// resource type's schemas into a Target the engine can act on. Reads no document.
import { invalidPath } from "../errors";
import type { AttributePath, FilterNode } from "../filter/ast";
import { validateFilter } from "../filter/evaluate";
import { parsePatchPath } from "../filter/parser";
import type { AttributeDefinition, ResourceTypeName } from "../schema/attribute";
import { builtInRegistry, findAttributeIn, findSchema, resolveAttribute, schemasOf, type SchemaRegistry } from "../schema/registry";
import { fixLegacyExtensionDot, routeBareManagerPath, type Rewrite } from "../compat/entra";

export interface Target {
  /** The path as the client wrote it, for error details. */
  label: string;
  /** The schema URN the attribute belongs to. */
  schema: string;
  /** Set when the attribute lives under the extension URN key of the document. */
  ext?: string;
  attr: AttributeDefinition;
  /** `name.givenName`, `emails.value`, or the sub-attribute after a filter `emails[…].value`. */
  sub?: AttributeDefinition;
  /** Value filter selecting elements of a multi-valued attribute. */
  filter?: FilterNode;
}

export type PathTarget =
  | { kind: "attribute"; target: Target }
  | { kind: "extension"; urn: string; label: string }
  /** A path under a URN that is no schema of this tenant: an extension it never declared. */
  | { kind: "undeclared"; label: string };

const isSchemaUrn = (urn: string, registry: SchemaRegistry) => findSchema(urn, registry) !== undefined;
/** A URN path outside RFC 7643's own namespaces (a misspelt core URN stays an invalidPath). */
const isExtensionShaped = (text: string) => /^urn:/i.test(text.trim()) && !/^urn:ietf:params:scim:(schemas:core|api):/i.test(text.trim());

const pathText = (p: AttributePath) => `${p.urn ? `${p.urn}:` : ""}${p.attribute}${p.subAttribute ? `.${p.subAttribute}` : ""}`;

/** The Target of an attribute path, or undefined when the schema has no such attribute. */
export function targetOf(
  type: ResourceTypeName,
  path: AttributePath,
  label: string,
  registry: SchemaRegistry = builtInRegistry,
): Target | undefined {
  const resolved = resolveAttribute(type, path, registry);
  if (!resolved) return undefined;
  return {
    label,
    schema: resolved.schema,
    ...(resolved.extension ? { ext: resolved.schema } : {}),
    attr: resolved.attribute,
    ...(resolved.subAttribute ? { sub: resolved.subAttribute } : {}),
  };
}

function extensionUrn(type: ResourceTypeName, urn: string, registry: SchemaRegistry): string | undefined {
  return schemasOf(type, registry).extensions.find((e) => e.id.toLowerCase() === urn.toLowerCase())?.id;
}

/**
 * Parse and resolve a PATCH `path`. Unknown attributes are 400 invalidPath naming the path;
 * a filter on a single-valued attribute is invalidPath; bad filters are invalidFilter.
 */
export function resolvePatchTarget(
  text: string,
  type: ResourceTypeName,
  rewrites: Rewrite[],
  registry: SchemaRegistry = builtInRegistry,
): PathTarget {
  const parsed = parsePatchPath(fixLegacyExtensionDot(text, type, rewrites, registry), registry);
  if (parsed.path.urn !== undefined && !isSchemaUrn(parsed.path.urn, registry) && isExtensionShaped(text)) {
    return { kind: "undeclared", label: text };
  }
  if (parsed.path.attribute === "") {
    const urn = parsed.path.urn ? extensionUrn(type, parsed.path.urn, registry) : undefined;
    if (!urn) throw invalidPath(`"${text}" is not a schema extension of ${type}`);
    return { kind: "extension", urn, label: text };
  }
  const path = routeBareManagerPath(parsed.path, type, rewrites);
  const target = targetOf(type, path, text, registry);
  if (!target) throw invalidPath(`unknown attribute "${pathText(path)}" in path "${text}"`);
  if (parsed.filter) return { kind: "attribute", target: withFilter(target, parsed.filter, parsed.subAttribute, type, path, registry) };
  return { kind: "attribute", target };
}

function withFilter(
  target: Target,
  filter: FilterNode,
  subAttribute: string | undefined,
  type: ResourceTypeName,
  path: AttributePath,
  registry: SchemaRegistry,
): Target {
  if (!target.attr.multiValued) {
    throw invalidPath(`"${target.label}": ${target.attr.name} is not multi-valued, so it takes no value filter`);
  }
  // Names inside the brackets are sub-attributes of the filtered attribute (RFC 7644 §3.5.2).
  validateFilter({ kind: "valuePath", path: { ...(path.urn ? { urn: path.urn } : {}), attribute: path.attribute }, filter }, type, registry);
  if (subAttribute === undefined) return { ...target, filter };
  const sub = target.attr.subAttributes ? findAttributeIn(target.attr.subAttributes, subAttribute) : undefined;
  if (!sub) throw invalidPath(`unknown attribute "${target.attr.name}.${subAttribute}" in path "${target.label}"`);
  return { ...target, filter, sub };
}
