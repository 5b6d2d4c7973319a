// Type-check and coerce every value PATCH writes, through the one schema validator
// (schema/validate.ts), after the Entra value shapes (manager, roles) are unpacked.
import { normalizeAttributeValue } from "../schema/validate";
import type { AttributeDefinition } from "../schema/attribute";
import { USER_SCHEMA } from "../urns";
import { coerceManagerValue, isEnterpriseManager, unpackRoleJsonString } from "../compat/entra";
import type { Target } from "./target";

/**
 * Normalise `value` for `def` (the attribute, one element of it, or a sub-attribute).
 * Returns undefined for "no value": null, "" and empty arrays/objects clear (RFC 7643 §2.5 treats
 * them as unassigned; ENTRA U12/E29).
 */
export function normalizeValue(def: AttributeDefinition, value: unknown, label: string, rewrites: string[]): unknown {
  if (value === "" || value === null || value === undefined) return undefined;
  return normalizeAttributeValue(def, value, label, rewrites);
}

/** The attribute-level value, with the Entra shapes for manager (U8/U8b) and roles (U11) unpacked. */
export function normalizeAttribute(target: Target, value: unknown, rewrites: string[]): unknown {
  return normalizeValue(target.attr, entraShapes(target, value, rewrites), target.label, rewrites);
}

/** One element of a multi-valued attribute (filtered replace/add without sub-attribute). */
export function normalizeElement(target: Target, value: unknown, rewrites: string[]): unknown {
  const element = { ...target.attr, multiValued: false };
  return normalizeValue(element, entraElement(target, value, rewrites), target.label, rewrites);
}

function isRoles(target: Target): boolean {
  return target.schema === USER_SCHEMA && target.attr.name === "roles";
}

function entraShapes(target: Target, value: unknown, rewrites: string[]): unknown {
  if (isEnterpriseManager(target.schema, target.attr)) return coerceManagerValue(value, rewrites);
  if (isRoles(target) && Array.isArray(value)) return value.map((v) => unpackRoleJsonString(v, rewrites));
  return entraElement(target, value, rewrites);
}

function entraElement(target: Target, value: unknown, rewrites: string[]): unknown {
  return isRoles(target) ? unpackRoleJsonString(value, rewrites) : value;
}
