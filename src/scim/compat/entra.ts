// Named normalisers for the non-RFC shapes Microsoft Entra ID sends (each listed, with the test
// that proves it, in docs/entra-compat.md). Each is pure, says which client sends the shape, and records the rewrite it made by
// name in `rewrites` (per-request log line and per-tenant counters). No RFC behaviour lives here.
import { ENTERPRISE_USER_SCHEMA } from "../urns";
import type { AttributePath, FilterNode, FilterValue } from "../filter/ast";
import type { AttributeDefinition, ResourceTypeName } from "../schema/attribute";
import { findAttributeIn, schemasOf, splitAttributeName, type SchemaRegistry } from "../schema/registry";

export type Rewrite =
  | "opCase"
  | "emptyOperations"
  | "booleanString"
  | "membersRemoveWithValue"
  | "membersSingleValue"
  | "membersBareId"
  | "addToMissingFilteredElement"
  | "pathlessDottedKeys"
  | "pathlessUrnKeys"
  | "managerBareString"
  | "managerArray"
  | "managerPathWithoutUrn"
  | "rolesJsonString"
  | "legacyExtensionDot"
  // Not Entra-specific, but named and counted the same way (see patch/apply.ts, patch/edit.ts):
  | "removeWithValue"
  | "passwordIgnored"
  | "pathlessUnknownKeyIgnored"
  | "pathlessReadOnlyKeyIgnored"
  | "singleValueWrapped"
  | "urnQualifiedKey"
  | "emailTypeDefaultedToWork"
  | "phoneTypeDefaultedToWork"
  | "undeclaredExtension"
  | `undeclaredExtension:${string}`;

/** Record a rewrite once per request. */
export function noteRewrite(rewrites: Rewrite[], name: Rewrite): void {
  if (!rewrites.includes(name)) rewrites.push(name);
}

/**
 * Entra without `aadOptscim062020` disables users with `"value":"False"` (a string), and Microsoft's reference tests POST `"active":"True"`. Accepts booleans and the
 * strings true/false in any case; returns undefined for anything else (the caller rejects it).
 */
export function coerceBoolean(value: unknown, rewrites: Rewrite[]): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const lc = value.trim().toLowerCase();
  if (lc !== "true" && lc !== "false") return undefined;
  noteRewrite(rewrites, "booleanString");
  return lc === "true";
}

const PATCH_OPS = ["add", "replace", "remove"] as const;
export type PatchOpName = (typeof PATCH_OPS)[number];

/**
 * Entra without `aadOptscim062020` writes `Add`/`Replace`/`Remove`; RFC 7644
 * §3.5.2 spells them lower-case. Returns undefined for an unknown operation.
 */
export function normalizeOpName(op: string, rewrites: Rewrite[]): PatchOpName | undefined {
  const lc = op.toLowerCase();
  const known = PATCH_OPS.find((o) => o === lc);
  if (known && op !== known) noteRewrite(rewrites, "opCase");
  return known;
}

/**
 * Old `customappsso` jobs and Microsoft's samples separate the extension URN from the attribute
 * with "." (`…:enterprise:2.0:User.department`). Rewrites it to RFC 7644 §3.10's ":".
 */
export function fixLegacyExtensionDot(path: string, type: ResourceTypeName, rewrites: Rewrite[], registry?: SchemaRegistry): string {
  const lc = path.toLowerCase();
  for (const ext of schemasOf(type, registry).extensions) {
    const prefix = `${ext.id.toLowerCase()}.`;
    if (lc.startsWith(prefix)) {
      noteRewrite(rewrites, "legacyExtensionDot");
      return `${ext.id}:${path.slice(prefix.length)}`;
    }
  }
  return path;
}

/**
 * The documented legacy manager update uses path `manager` without the extension URN
 * (Microsoft's "update manager" example). On a User, route it to the enterprise extension.
 */
export function routeBareManagerPath(path: AttributePath, type: ResourceTypeName, rewrites: Rewrite[]): AttributePath {
  if (type !== "User" || path.urn !== undefined || path.attribute.toLowerCase() !== "manager") return path;
  noteRewrite(rewrites, "managerPathWithoutUrn");
  return { ...path, urn: ENTERPRISE_USER_SCHEMA };
}

/**
 * Entra sends the manager as a bare id string (`"value":"271"`) or, in the legacy form,
 * as a one-element array `[{"$ref":…,"value":id}]`. Both become the RFC 7643 §4.3 complex
 * `{value}`; "" is left for the caller to treat as "clear"; anything else is unchanged.
 */
export function coerceManagerValue(value: unknown, rewrites: Rewrite[]): unknown {
  if (typeof value === "string" && value !== "") {
    noteRewrite(rewrites, "managerBareString");
    return { value };
  }
  if (Array.isArray(value) && value.length <= 1) {
    noteRewrite(rewrites, "managerArray");
    const first: unknown = value[0];
    if (first === undefined) return null;
    return typeof first === "string" ? { value: first } : first;
  }
  return value;
}

/**
 * Entra's app-role mapping sends each role as a JSON string inside `value`
 * (`{"value":"{\"id\":…,\"value\":\"25\",\"displayName\":\"Role1234\"}"}`). Unpacks it
 * into `{value, display}`; other keys of the element (type, primary) are kept.
 */
export function unpackRoleJsonString(element: unknown, rewrites: Rewrite[]): unknown {
  if (element === null || typeof element !== "object" || Array.isArray(element)) return element;
  const record = element as Record<string, unknown>;
  const raw = Object.entries(record).find(([k]) => k.toLowerCase() === "value")?.[1];
  if (typeof raw !== "string" || !raw.trimStart().startsWith("{")) return element;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return element; // not JSON after all: an ordinary role value that starts with "{"
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return element;
  const inner = parsed as Record<string, unknown>;
  if (typeof inner.value !== "string" && typeof inner.value !== "number") return element;
  noteRewrite(rewrites, "rolesJsonString");
  const rest = Object.fromEntries(Object.entries(record).filter(([k]) => k.toLowerCase() !== "value"));
  const display = typeof inner.displayName === "string" ? { display: inner.displayName } : {};
  return { ...rest, value: String(inner.value), ...display };
}

/**
 * Keys of a path-less add/replace value: Entra with `aadOptscim062020` writes sub-attributes dotted
 * (`name.givenName`) and extension attributes URN-qualified (`urn:…:User:employeeNumber`).
 * Splits them into an AttributePath so nothing is stored under a literal dotted key.
 */
export function splitPathlessKey(key: string, type: ResourceTypeName, rewrites: Rewrite[], registry?: SchemaRegistry): AttributePath {
  const path = splitAttributeName(key, type, registry);
  if (path.urn !== undefined) noteRewrite(rewrites, "pathlessUrnKeys");
  else if (path.subAttribute !== undefined) noteRewrite(rewrites, "pathlessDottedKeys");
  return path;
}

/**
 * The Microsoft SCIM validator's "Add Attributes" test and Entra add or replace
 * `emails[type eq "work"].value` when there is no work email yet; RFC 7644 §3.5.2.3 would answer
 * noTarget. We create the element instead, seeded with every `attr eq literal` of the filter.
 * Returns undefined when the filter is not an and-conjunction of `eq` on writable sub-attributes.
 */
export function elementFromFilter(filter: FilterNode, attribute: AttributeDefinition): Record<string, FilterValue> | undefined {
  const pairs: [string, FilterValue][] = [];
  const collect = (node: FilterNode): boolean => {
    if (node.kind === "and") return collect(node.left) && collect(node.right);
    if (node.kind !== "compare" || node.op !== "eq" || node.path.subAttribute !== undefined || node.value === null) return false;
    const sub = attribute.subAttributes ? findAttributeIn(attribute.subAttributes, node.path.attribute) : undefined;
    if (!sub || sub.mutability === "readOnly") return false;
    pairs.push([sub.name, node.value]);
    return true;
  };
  return collect(filter) ? Object.fromEntries(pairs) : undefined;
}

/** Note that a missing filtered element was created (see elementFromFilter). */
export function noteCreatedFilteredElement(rewrites: Rewrite[]): void {
  noteRewrite(rewrites, "addToMissingFilteredElement");
}

/**
 * Entra's default (no flag) member removal is `{"op":"Remove","path":"members","value":[{"value":id}]}`.
 * RFC 7644 §3.5.2.2 would remove every member — the classic data-loss bug —
 * so a remove that carries a value removes exactly the listed members.
 */
export function noteMembersRemoveWithValue(rewrites: Rewrite[]): void {
  noteRewrite(rewrites, "membersRemoveWithValue");
}
