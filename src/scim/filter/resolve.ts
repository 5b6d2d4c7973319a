// Resolve filter attribute paths against a resource type's schema for the evaluator and the SQL
// compiler alike, and validate filters (unknown names, operator/type and literal checks).
import { invalidFilter } from "../errors";
import type { AttributeDefinition, ResourceTypeName } from "../schema/attribute";
import { builtInRegistry, findAttributeIn, resolveAttribute, schemasOf, type ResolvedAttribute, type SchemaRegistry } from "../schema/registry";
import type { AttributePath, CompareOperator, FilterNode, FilterValue } from "./ast";
import { literalFor } from "./compare";

const pathText = (p: AttributePath) => `${p.urn ? p.urn + ":" : ""}${p.attribute}${p.subAttribute ? "." + p.subAttribute : ""}`;

// Derived per response, not stored: filtering on them is not offered.
const NOT_FILTERABLE = new Set(["meta.location", "meta.version", "members.display", "members.$ref", "groups.$ref", "groups.type"]);

/**
 * Unqualified names resolve in the core schema first, then in the extensions: Entra's manager
 * check sends `id eq "…" and manager eq "…"`.
 */
function resolveLenient(type: ResourceTypeName, path: AttributePath, registry: SchemaRegistry): ResolvedAttribute | undefined {
  const resolved = resolveAttribute(type, path, registry);
  if (resolved || path.urn) return resolved;
  for (const extension of schemasOf(type, registry).extensions) {
    const found = resolveAttribute(type, { ...path, urn: extension.id }, registry);
    if (found) return found;
  }
  return undefined;
}

export function resolveFilterPath(
  type: ResourceTypeName,
  path: AttributePath,
  registry: SchemaRegistry = builtInRegistry,
): ResolvedAttribute {
  const resolved = resolveLenient(type, path, registry);
  if (!resolved) throw invalidFilter(`unknown attribute "${pathText(path)}" in filter`);
  const name = `${resolved.attribute.name}.${resolved.subAttribute?.name ?? ""}`;
  // `meta` alone is complex and not stored as a document object, so only its sub-attributes filter.
  if (NOT_FILTERABLE.has(name) || name === "meta.") throw invalidFilter(`"${pathText(path)}" cannot be filtered on`);
  return resolved;
}

/** Resolve a path inside a value filter: names are sub-attributes of the multi-valued parent. */
export function resolveSubPath(parent: AttributeDefinition, path: AttributePath): AttributeDefinition {
  if (path.urn || path.subAttribute) throw invalidFilter(`"${pathText(path)}" is not a sub-attribute of ${parent.name}`);
  if (!parent.subAttributes) {
    if (path.attribute.toLowerCase() === "value") return { ...parent, multiValued: false };
    throw invalidFilter(`${parent.name} has no sub-attributes`);
  }
  const sub = findAttributeIn(parent.subAttributes, path.attribute);
  if (!sub) throw invalidFilter(`unknown attribute "${parent.name}.${path.attribute}" in filter`);
  return sub;
}

/**
 * The simple attribute a comparison looks at. A complex attribute with a `value` sub-attribute
 * compares that `value`: RFC 7644 §3.4.2.2 says so for multi-valued attributes, and Entra's
 * `manager eq "…"` needs it for the singular enterprise manager.
 */
export function comparedAttribute(resolved: ResolvedAttribute): AttributeDefinition {
  if (resolved.subAttribute) return resolved.subAttribute;
  const a = resolved.attribute;
  if (a.type === "complex") {
    const value = a.subAttributes && findAttributeIn(a.subAttributes, "value");
    if (value) return value;
    throw invalidFilter(`"${a.name}" is complex; compare one of its sub-attributes`);
  }
  return a;
}

// co/sw/ew are substring tests on text. dateTime is excluded on purpose: it compares as an
// instant (any ISO spelling of the same moment is equal), which substrings cannot respect.
const STRING_TYPES = new Set(["string", "reference", "binary"]);

/** Reject operator/type combinations RFC 7644 §3.4.2.2 does not define. */
export function checkOperator(attr: AttributeDefinition, op: CompareOperator): void {
  if ((op === "co" || op === "sw" || op === "ew") && !STRING_TYPES.has(attr.type)) {
    throw invalidFilter(`"${op}" needs a string attribute; ${attr.name} is ${attr.type}`);
  }
  if ((op === "gt" || op === "ge" || op === "lt" || op === "le") && (attr.type === "boolean" || attr.type === "binary")) {
    throw invalidFilter(`"${op}" is not defined for ${attr.type} attribute ${attr.name}`);
  }
}

export function unicodeFolded(type: ResourceTypeName, resolved: ResolvedAttribute): boolean {
  if (resolved.extension || resolved.subAttribute) return false;
  const name = resolved.attribute.name;
  return name === "displayName" || (type === "User" && name === "userName");
}

/** Operator, then literal: null only with eq/ne (eq null = not present), typed literals. */
function checkLiteral(attr: AttributeDefinition, op: CompareOperator, value: FilterValue, unicode: boolean): void {
  checkOperator(attr, op);
  if (value === null && op !== "eq" && op !== "ne") throw invalidFilter(`"${op}" cannot compare with null`);
  literalFor(attr, value, unicode);
}

/** Validate every path and operator of a filter (fail fast, before SQL). */
export function validateFilter(node: FilterNode, type: ResourceTypeName, registry: SchemaRegistry = builtInRegistry): void {
  switch (node.kind) {
    case "and":
    case "or":
      validateFilter(node.left, type, registry);
      validateFilter(node.right, type, registry);
      return;
    case "not":
      validateFilter(node.filter, type, registry);
      return;
    case "present":
      resolveFilterPath(type, node.path, registry);
      return;
    case "compare": {
      const resolved = resolveFilterPath(type, node.path, registry);
      checkLiteral(comparedAttribute(resolved), node.op, node.value, unicodeFolded(type, resolved));
      return;
    }
    case "valuePath": {
      const parent = resolveFilterPath(type, node.path, registry);
      if (parent.subAttribute || (!parent.attribute.multiValued && parent.attribute.type !== "complex")) {
        throw invalidFilter(`"${parent.attribute.name}" cannot take a value filter`);
      }
      validateSubFilter(node.filter, parent.attribute);
      return;
    }
  }
}

/** resolveSubPath for list filters: also refuses the derived sub-attributes (NOT_FILTERABLE). */
function filterableSubPath(parent: AttributeDefinition, path: AttributePath): AttributeDefinition {
  const sub = resolveSubPath(parent, path);
  if (NOT_FILTERABLE.has(`${parent.name}.${sub.name}`)) throw invalidFilter(`"${parent.name}.${sub.name}" cannot be filtered on`);
  return sub;
}

export function validateSubFilter(node: FilterNode, parent: AttributeDefinition): void {
  switch (node.kind) {
    case "and":
    case "or":
      validateSubFilter(node.left, parent);
      validateSubFilter(node.right, parent);
      return;
    case "not":
      validateSubFilter(node.filter, parent);
      return;
    case "present":
      filterableSubPath(parent, node.path);
      return;
    case "compare":
      checkLiteral(filterableSubPath(parent, node.path), node.op, node.value, false);
      return;
    case "valuePath":
      throw invalidFilter("value filters cannot nest");
  }
}
