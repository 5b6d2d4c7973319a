// Check and normalise a resource document (POST/PUT body) against its schema definition:
// canonical attribute-name casing, type checks with Entra's coercions, nulls and unknown
// attributes dropped, readOnly ones ignored (RFC 7644 §3.3, §3.5.1), required ones enforced.
import { invalidSyntax, invalidValue } from "../errors";
import type { AttributeDefinition, ResourceTypeName } from "./attribute";
import { commonAttributes } from "./common";
import { noteUndeclaredExtension } from "./declared-extension";
import { builtInRegistry, findAttributeIn, schemasOf, type SchemaRegistry } from "./registry";
import { coerceBoolean } from "../compat/entra";

export interface NormalizedResource {
  doc: Record<string, unknown>;
  members?: { value: string; type?: "User" | "Group" }[];
  rewrites: string[];
}

/** Record a rewrite name once per request (the names feed logs and per-tenant counters). */
function note(rewrites: string[], name: string): void {
  if (!rewrites.includes(name)) rewrites.push(name);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Type-check one simple value; returns the (possibly coerced) value. */
function simpleValue(def: AttributeDefinition, value: unknown, path: string, rewrites: string[]): unknown {
  switch (def.type) {
    case "string":
    case "reference":
    case "binary":
      if (typeof value !== "string") throw invalidValue(`${path} must be a string`);
      return value;
    case "boolean": {
      const b = coerceBoolean(value, rewrites);
      if (b === undefined) throw invalidValue(`${path} must be a boolean`);
      return b;
    }
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) throw invalidValue(`${path} must be an integer`);
      return value;
    case "decimal":
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalidValue(`${path} must be a number`);
      return value;
    case "dateTime":
      if (typeof value !== "string" || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
        throw invalidValue(`${path} must be an ISO 8601 dateTime`);
      }
      return value;
    case "complex":
      throw new Error("complex handled by caller");
  }
}

/** A complex value: known sub-attributes only, readOnly ones dropped, nulls dropped. */
function complexValue(def: AttributeDefinition, value: unknown, path: string, rewrites: string[], keepReadOnly: boolean) {
  if (!isObject(value)) throw invalidValue(`${path} must be an object`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = findAttributeIn(def.subAttributes ?? [], key);
    if (!sub || v === null || v === undefined) continue;
    if (sub.mutability === "readOnly" && !keepReadOnly) continue;
    out[sub.name] = simpleValue(sub, v, `${path}.${sub.name}`, rewrites);
  }
  return out;
}

/**
 * Normalise one attribute value against its definition (shared with the PATCH engine).
 * Returns undefined when the value is "no value" (null, "", empty array/object) and so clears.
 */
export function normalizeAttributeValue(
  def: AttributeDefinition,
  value: unknown,
  path: string,
  rewrites: string[],
  options: { keepReadOnly?: boolean } = {},
): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    let items: unknown[];
    if (Array.isArray(value)) items = value;
    else {
      items = [value];
      note(rewrites, "singleValueWrapped");
    }
    const out = items
      .filter((v) => v !== null && v !== undefined)
      .map((v, i) =>
        def.type === "complex"
          ? complexValue(def, v, `${path}[${i}]`, rewrites, options.keepReadOnly ?? false)
          : simpleValue(def, v, `${path}[${i}]`, rewrites),
      )
      .filter((v) => !(isObject(v) && Object.keys(v).length === 0));
    if (def.type === "complex" && out.filter((v) => isObject(v) && v["primary"] === true).length > 1) {
      throw invalidValue(`${path}: at most one value may be primary (RFC 7643 §2.4)`);
    }
    return out.length ? out : undefined;
  }
  if (def.type === "complex") {
    const obj = complexValue(def, value, path, rewrites, options.keepReadOnly ?? false);
    return Object.keys(obj).length ? obj : undefined;
  }
  if (value === "" && def.type !== "string") return undefined;
  return simpleValue(def, value, path, rewrites);
}

/** Entra sends the manager as a bare id (U8) or a one-element array (U8b); store {value}. */
function normalizeManager(value: unknown, rewrites: string[]): unknown {
  if (typeof value === "string") {
    note(rewrites, "managerBareString");
    return value === "" ? null : { value };
  }
  if (Array.isArray(value) && value.length <= 1) {
    note(rewrites, "managerArray");
    return value[0] ?? null;
  }
  return value;
}

function normalizeExtension(type: ResourceTypeName, urn: string, value: unknown, rewrites: string[], registry: SchemaRegistry) {
  const schema = schemasOf(type, registry).extensions.find((e) => e.id === urn)!;
  if (!isObject(value)) throw invalidValue(`${urn} must be an object`);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const def = findAttributeIn(schema.attributes, key);
    if (!def || def.mutability === "readOnly") continue;
    const v = normalizeAttributeValue(def, def.name === "manager" ? normalizeManager(raw, rewrites) : raw, `${urn}:${def.name}`, rewrites);
    if (v !== undefined) out[def.name] = v;
  }
  return out;
}

const MEMBER_TYPES = ["User", "Group"] as const;

function normalizeMembers(value: unknown): { value: string; type?: "User" | "Group" }[] {
  const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  return list.map((m, i) => {
    if (!isObject(m) || typeof m["value"] !== "string" || m["value"] === "") throw invalidValue(`members[${i}].value must be a non-empty string`);
    // type is matched case-insensitively: canonicalValues compare like caseExact=false strings.
    const raw = m["type"];
    if (raw === undefined || raw === null) return { value: m["value"] };
    const t = typeof raw === "string" ? MEMBER_TYPES.find((x) => x.toLowerCase() === raw.toLowerCase()) : undefined;
    if (!t) throw invalidValue(`members[${i}].type must be "User" or "Group"`);
    return { value: m["value"], type: t };
  });
}

/** Normalise a POST/PUT body for a resource type. */
export function normalizeResource(
  input: unknown,
  type: ResourceTypeName,
  _opts: { mode: "create" | "replace" },
  registry: SchemaRegistry = builtInRegistry,
): NormalizedResource {
  if (!isObject(input)) throw invalidSyntax("the request body must be a JSON object");
  const rewrites: string[] = [];
  const { core, extensions } = schemasOf(type, registry);
  const defs = [...commonAttributes, ...core.attributes];
  const doc: Record<string, unknown> = {};
  const ext = new Map<string, Record<string, unknown>>();
  let members: NormalizedResource["members"];

  for (const [key, raw] of Object.entries(input)) {
    const extension = extensions.find((e) => key.toLowerCase() === e.id.toLowerCase());
    if (extension) {
      if (raw === null) continue;
      ext.set(extension.id, { ...ext.get(extension.id), ...normalizeExtension(type, extension.id, raw, rewrites, registry) });
      continue;
    }
    // An extension attribute as a top-level URN-qualified key (`urn:…:User:department`), or with
    // Entra's legacy "." separator (`urn:…:User.department`, ENTRA U13).
    const qualified = extensions.find((e) => {
      const lc = key.toLowerCase();
      const id = e.id.toLowerCase();
      return lc.startsWith(`${id}:`) || lc.startsWith(`${id}.`);
    });
    if (qualified) {
      const attr = key.slice(qualified.id.length + 1);
      ext.set(qualified.id, { ...ext.get(qualified.id), ...normalizeExtension(type, qualified.id, { [attr]: raw }, rewrites, registry) });
      note(rewrites, key.charAt(qualified.id.length) === "." ? "legacyExtensionDot" : "urnQualifiedKey");
      continue;
    }
    // A core attribute may also arrive URN-qualified (`urn:…:core:2.0:User:userName`).
    const coreKey = key.toLowerCase().startsWith(core.id.toLowerCase() + ":") ? key.slice(core.id.length + 1) : key;
    const def = findAttributeIn(defs, coreKey);
    if (!def && coreKey === key) noteUndeclaredExtension(rewrites, key, raw);
    if (!def || raw === null || raw === undefined) continue; // unknown attributes are ignored (ENTRA E20)
    if (type === "Group" && def.name === "members") {
      members = normalizeMembers(raw);
      continue;
    }
    if (def.mutability === "readOnly" || def.mutability === "writeOnly") continue; // ignored; password never stored
    const v = normalizeAttributeValue(def, raw, def.name, rewrites);
    if (v !== undefined) doc[def.name] = v;
  }
  for (const [urn, value] of ext) if (Object.keys(value).length) doc[urn] = value;

  const required = core.attributes.filter((a) => a.required).map((a) => a.name);
  for (const name of required) {
    if (typeof doc[name] !== "string" || (doc[name] as string).trim() === "") throw invalidValue(`${name} is required`);
  }
  return { doc, ...(members ? { members } : {}), rewrites };
}
