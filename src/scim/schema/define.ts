// Small builders so schema files read like the RFC tables: defaults are RFC 7643 §2.2's.
import type { AttributeDefinition, AttributeType } from "./attribute";

type Options = Partial<Omit<AttributeDefinition, "name" | "type">>;

export function attr(name: string, type: AttributeType, description: string, options: Options = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...options,
  };
}

export const str = (name: string, description: string, options: Options = {}) => attr(name, "string", description, options);

export function complex(name: string, description: string, subAttributes: AttributeDefinition[], options: Options = {}) {
  return attr(name, "complex", description, { ...options, subAttributes });
}

/** The standard multi-valued sub-attributes of RFC 7643 §2.4 (value, display, type, primary). */
export function multiValued(
  name: string,
  description: string,
  value: { type?: AttributeType; description: string; caseExact?: boolean; referenceTypes?: string[] },
  types: readonly string[] | undefined,
  options: Options = {},
  extra: AttributeDefinition[] = [],
): AttributeDefinition {
  return complex(
    name,
    description,
    [
      attr("value", value.type ?? "string", value.description, {
        caseExact: value.caseExact ?? false,
        ...(value.referenceTypes ? { referenceTypes: value.referenceTypes } : {}),
      }),
      str("display", "A human-readable name, primarily used for display purposes."),
      str("type", `A label indicating the attribute's function.`, types ? { canonicalValues: types } : {}),
      attr("primary", "boolean", "Indicates the 'primary' or preferred attribute value for this attribute."),
      ...extra,
    ],
    { multiValued: true, ...options },
  );
}
