// Type-check and coerce every value PATCH writes, through the one schema validator
// (schema/validate.ts), after the shape normalisers every write path runs (compat/shapes.ts).
import { normalizeAttributeValue } from "../schema/validate";
import type { AttributeDefinition } from "../schema/attribute";
import type { Rewrite } from "../compat/entra";
import { normaliseElementShape, normaliseShapes, type ShapeTarget } from "../compat/shapes";
import type { Target } from "./target";

/**
 * Normalise `value` for `def` (the attribute, one element of it, or a sub-attribute).
 * Returns undefined for "no value": null, "" and empty arrays/objects clear (RFC 7643 §2.5 treats
 * them as unassigned; Entra clears attributes this way).
 */
export function normalizeValue(def: AttributeDefinition, value: unknown, label: string, rewrites: Rewrite[]): unknown {
  if (value === "" || value === null || value === undefined) return undefined;
  return normalizeAttributeValue(def, value, label, rewrites);
}

/** The attribute-level value, after the shape normalisers every write path runs. */
export function normalizeAttribute(target: Target, value: unknown, rewrites: Rewrite[]): unknown {
  return normalizeValue(target.attr, normaliseShapes(shapeTarget(target), value, rewrites), target.label, rewrites);
}

/** One element of a multi-valued attribute (filtered replace/add without sub-attribute). */
export function normalizeElement(target: Target, value: unknown, rewrites: Rewrite[]): unknown {
  const element = { ...target.attr, multiValued: false };
  return normalizeValue(element, normaliseElementShape(shapeTarget(target), value, rewrites), target.label, rewrites);
}

const shapeTarget = (target: Target): ShapeTarget => ({ schema: target.schema, attribute: target.attr });
