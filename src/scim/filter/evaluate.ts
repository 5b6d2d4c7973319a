// In-memory filter evaluation over full SCIM resources. It is the reference the SQL compiler is
// tested against, and the PATCH engine's matcher for value filters (`emails[type eq "work"]`).
import { invalidFilter } from "../errors";
import type { AttributeDefinition, ResourceTypeName } from "../schema/attribute";
import { builtInRegistry, type ResolvedAttribute, type SchemaRegistry } from "../schema/registry";
import type { CompareOperator, FilterNode, FilterValue } from "./ast";
import { canonicalDateTime, compareStrings, foldCase, literalFor } from "./compare";
import { checkOperator, comparedAttribute, resolveFilterPath, resolveSubPath, unicodeFolded, validateFilter } from "./resolve";

export { validateFilter } from "./resolve";
export { canonicalDateTime, literalFor } from "./compare";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

function getKey(obj: unknown, name: string): unknown {
  if (!isObj(obj)) return undefined;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

/** The raw value of an attribute in a resource (extension attributes live under their URN). */
function attributeValue(resource: Obj, resolved: ResolvedAttribute): unknown {
  const container = resolved.extension ? getKey(resource, resolved.schema) : resource;
  return getKey(container, resolved.attribute.name);
}

/** The simple values a comparison looks at. */
function comparedValues(resource: Obj, resolved: ResolvedAttribute): unknown[] {
  const value = attributeValue(resource, resolved);
  if (value === undefined || value === null) return [];
  const elements = Array.isArray(value) ? value : [value];
  const sub = resolved.subAttribute?.name ?? (resolved.attribute.type === "complex" ? "value" : undefined);
  return elements.map((e) => (sub ? getKey(e, sub) : e)).filter((v) => v !== undefined && v !== null);
}

const isPresent = (v: unknown) => !(v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0));

function normaliseActual(attr: AttributeDefinition, v: unknown, unicode: boolean): unknown {
  if (attr.type === "dateTime" && typeof v === "string") return canonicalDateTime(v) ?? v;
  if (typeof v === "string" && !attr.caseExact && (attr.type === "string" || attr.type === "reference")) return foldCase(v, unicode);
  return v;
}

function order(actual: unknown, expected: FilterValue): number {
  if (typeof actual === "string") return compareStrings(actual, expected as string);
  return (actual as number) - (expected as number);
}

function compareOne(op: CompareOperator, actual: unknown, expected: FilterValue): boolean {
  if (typeof actual !== typeof expected) return false;
  switch (op) {
    case "eq":
      return actual === expected;
    case "ne":
      return actual !== expected;
    case "co":
      return (actual as string).includes(expected as string);
    case "sw":
      return (actual as string).startsWith(expected as string);
    case "ew":
      return (actual as string).endsWith(expected as string);
    case "gt":
      return order(actual, expected) > 0;
    case "ge":
      return order(actual, expected) >= 0;
    case "lt":
      return order(actual, expected) < 0;
    case "le":
      return order(actual, expected) <= 0;
  }
}

/**
 * One comparison over the values of an attribute. `ne` is "no value equals" (so a missing
 * attribute matches), `eq null` is "not present": the same semantics the SQL compiler emits.
 */
function compareValuesOf(attr: AttributeDefinition, values: unknown[], op: CompareOperator, value: FilterValue, unicode: boolean): boolean {
  checkOperator(attr, op);
  if (value === null) {
    if (op === "eq") return values.length === 0;
    if (op === "ne") return values.length > 0;
    throw invalidFilter(`"${op}" cannot compare with null`);
  }
  const expected = literalFor(attr, value, unicode);
  const actual = values.map((v) => normaliseActual(attr, v, unicode));
  if (op === "ne") return !actual.some((a) => compareOne("eq", a, expected));
  return actual.some((a) => compareOne(op, a, expected));
}

export function matchesFilter(node: FilterNode, resource: Obj, type: ResourceTypeName, registry: SchemaRegistry = builtInRegistry): boolean {
  switch (node.kind) {
    case "and":
      return matchesFilter(node.left, resource, type, registry) && matchesFilter(node.right, resource, type, registry);
    case "or":
      return matchesFilter(node.left, resource, type, registry) || matchesFilter(node.right, resource, type, registry);
    case "not":
      return !matchesFilter(node.filter, resource, type, registry);
    case "present": {
      const resolved = resolveFilterPath(type, node.path, registry);
      if (resolved.subAttribute) return comparedValues(resource, resolved).some(isPresent);
      return isPresent(attributeValue(resource, resolved));
    }
    case "compare": {
      const resolved = resolveFilterPath(type, node.path, registry);
      return compareValuesOf(comparedAttribute(resolved), comparedValues(resource, resolved), node.op, node.value, unicodeFolded(type, resolved));
    }
    case "valuePath": {
      const resolved = resolveFilterPath(type, node.path, registry);
      validateFilter(node, type, registry); // same refusals as list endpoints (e.g. userName[...] or members[display…])
      const value = attributeValue(resource, resolved);
      const elements = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
      return elements.some((e) => matchesElement(node.filter, e, resolved.attribute));
    }
  }
}

/** Evaluate a value filter against ONE element of a multi-valued (or complex) attribute. */
export function matchesElement(filter: FilterNode, element: unknown, attribute: AttributeDefinition): boolean {
  switch (filter.kind) {
    case "and":
      return matchesElement(filter.left, element, attribute) && matchesElement(filter.right, element, attribute);
    case "or":
      return matchesElement(filter.left, element, attribute) || matchesElement(filter.right, element, attribute);
    case "not":
      return !matchesElement(filter.filter, element, attribute);
    case "present": {
      const sub = resolveSubPath(attribute, filter.path);
      return isPresent(attribute.subAttributes ? getKey(element, sub.name) : element);
    }
    case "compare": {
      const sub = resolveSubPath(attribute, filter.path);
      const v = attribute.subAttributes ? getKey(element, sub.name) : element;
      return compareValuesOf(sub, v === undefined || v === null ? [] : [v], filter.op, filter.value, false);
    }
    case "valuePath":
      throw invalidFilter("value filters cannot nest");
  }
}

