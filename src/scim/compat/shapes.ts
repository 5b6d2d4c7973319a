// The one list of value-shape normalisers that every write path runs (POST, PUT, PATCH and Bulk,
// which reuses them) before the schema check. Each turns one non-RFC shape a client sends into the
// RFC 7643 shape and counts it by name; add one here and every write path accepts the shape.
import type { AttributeDefinition } from "../schema/attribute";
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "../urns";
import { coerceManagerValue, noteRewrite, unpackRoleJsonString, type Rewrite } from "./entra";

/** The attribute a value is written to: its schema URN and definition. */
export interface ShapeTarget {
  schema: string;
  attribute: AttributeDefinition;
}

export interface ValueNormaliser {
  appliesTo(target: ShapeTarget): boolean;
  /** The attribute's whole value, as the client sent it. */
  whole(value: unknown, rewrites: Rewrite[]): unknown;
  /** One element of a multi-valued attribute (a PATCH path with a value filter). */
  element?(value: unknown, rewrites: Rewrite[]): unknown;
}

const named = (schema: string, name: string) => (t: ShapeTarget) => t.schema === schema && t.attribute.name === name;

/** Enterprise `manager` as a bare id string or a one-element array (see coerceManagerValue). */
export const managerShape: ValueNormaliser = {
  appliesTo: named(ENTERPRISE_USER_SCHEMA, "manager"),
  // "" means "no manager" on every write path, as null does.
  whole: (value, rewrites) => (value === "" ? null : coerceManagerValue(value, rewrites)),
};

/** App roles whose `value` is a JSON string (see unpackRoleJsonString). */
export const rolesJsonShape: ValueNormaliser = {
  appliesTo: named(USER_SCHEMA, "roles"),
  whole: (value, rewrites) => (Array.isArray(value) ? value.map((v) => unpackRoleJsonString(v, rewrites)) : unpackRoleJsonString(value, rewrites)),
  element: (value, rewrites) => unpackRoleJsonString(value, rewrites),
};

/**
 * Group `members` as one object or a bare id instead of an array, and elements that are bare id
 * strings (`["u1"]`) instead of `{"value":"u1"}`. null and "" are left for the caller ("no members").
 */
export const membersShape: ValueNormaliser = {
  appliesTo: named(GROUP_SCHEMA, "members"),
  whole: (value, rewrites) => {
    if (value === null || value === undefined || value === "") return value;
    if (!Array.isArray(value)) noteRewrite(rewrites, "membersSingleValue");
    const list: unknown[] = Array.isArray(value) ? value : [value];
    return list.map((m) => {
      if (typeof m !== "string") return m;
      noteRewrite(rewrites, "membersBareId");
      return { value: m };
    });
  },
};

/** Every shape normaliser, in the order they run. */
export const VALUE_NORMALISERS: readonly ValueNormaliser[] = [managerShape, rolesJsonShape, membersShape];

/** Run every normaliser that applies to `target` on the attribute's whole value. */
export function normaliseShapes(target: ShapeTarget, value: unknown, rewrites: Rewrite[]): unknown {
  return VALUE_NORMALISERS.reduce((v, n) => (n.appliesTo(target) ? n.whole(v, rewrites) : v), value);
}

/** Run every normaliser that applies to `target` on one element of it. */
export function normaliseElementShape(target: ShapeTarget, value: unknown, rewrites: Rewrite[]): unknown {
  return VALUE_NORMALISERS.reduce((v, n) => (n.appliesTo(target) && n.element ? n.element(v, rewrites) : v), value);
}
