// Group member values as every write path reads them (POST, PUT, PATCH): `{value, type?}` with
// attribute names matched case-insensitively (RFC 7643 §2.1), after the shape normalisers ran.
import { invalidValue } from "../errors";

export interface MemberInput {
  value: string;
  type?: "User" | "Group";
}

const MEMBER_TYPES = ["User", "Group"] as const;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const field = (obj: Record<string, unknown>, name: string): unknown => Object.entries(obj).find(([k]) => k.toLowerCase() === name)?.[1];

/** One member; `$ref` (often null from Entra) and `display` are ignored: display is computed. */
function memberInput(raw: unknown, i: number): MemberInput {
  if (!isObject(raw)) throw invalidValue(`members[${i}] must be an object with a value`);
  const value = field(raw, "value");
  if (typeof value !== "string" || value === "") throw invalidValue(`members[${i}].value must be a non-empty string`);
  const type = field(raw, "type");
  if (type === undefined || type === null) return { value };
  // type is matched case-insensitively: canonicalValues compare like caseExact=false strings.
  const canonical = typeof type === "string" ? MEMBER_TYPES.find((t) => t.toLowerCase() === type.toLowerCase()) : undefined;
  if (!canonical) throw invalidValue(`members[${i}].type must be "User" or "Group"`);
  return { value, type: canonical };
}

/** A normalised members value (an array, or null/"" for none) → member inputs. */
export function memberInputs(value: unknown): MemberInput[] {
  if (value === null || value === undefined || value === "") return [];
  return (Array.isArray(value) ? value : [value]).map(memberInput);
}
