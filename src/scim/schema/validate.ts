// Check and normalise a resource document (POST/PUT body) against its schema definition:
// canonical attribute-name casing, type checks with Entra's coercions, nulls and unknown
// attributes dropped, readOnly ones ignored (RFC 7644 §3.3, §3.5.1), required ones enforced.
import { invalidSyntax, invalidValue } from "../errors";
import type { AttributeDefinition, ResourceTypeName } from "./attribute";
import { commonAttributes } from "./common";
import { noteUndeclaredExtension } from "./declared-extension";
import { builtInRegistry, findAttributeIn, schemasOf, type SchemaRegistry } from "./registry";
import { coerceBoolean, noteRewrite, type Rewrite } from "../compat/entra";
import { normaliseShapes } from "../compat/shapes";
import { memberInputs, type MemberInput } from "../groups/member-input";

export interface NormalizedResource {
  doc: Record<string, unknown>;
  members?: MemberInput[];
  rewrites: Rewrite[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Type-check one simple value; returns the (possibly coerced) value. */
function simpleValue(def: AttributeDefinition, value: unknown, path: string, rewrites: Rewrite[]): unknown {
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
function complexValue(def: AttributeDefinition, value: unknown, path: string, rewrites: Rewrite[], keepReadOnly: boolean) {
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
  rewrites: Rewrite[],
  options: { keepReadOnly?: boolean } = {},
): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    let items: unknown[];
    if (Array.isArray(value)) items = value;
    else {
      items = [value];
      noteRewrite(rewrites, "singleValueWrapped");
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

function normalizeExtension(type: ResourceTypeName, urn: string, value: unknown, rewrites: Rewrite[], registry: SchemaRegistry) {
  const schema = schemasOf(type, registry).extensions.find((e) => e.id === urn)!;
  if (!isObject(value)) throw invalidValue(`${urn} must be an object`);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const def = findAttributeIn(schema.attributes, key);
    if (!def || def.mutability === "readOnly") continue;
    const v = normalizeAttributeValue(def, normaliseShapes({ schema: urn, attribute: def }, raw, rewrites), `${urn}:${def.name}`, rewrites);
    if (v !== undefined) out[def.name] = v;
  }
  return out;
}

/** Normalise a POST/PUT body for a resource type. */
export function normalizeResource(
  input: unknown,
  type: ResourceTypeName,
  _opts: { mode: "create" | "replace" },
  registry: SchemaRegistry = builtInRegistry,
): NormalizedResource {
  if (!isObject(input)) throw invalidSyntax("the request body must be a JSON object");
  const rewrites: Rewrite[] = [];
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
    // the legacy "." separator old Entra jobs send (`urn:…:User.department`).
    const qualified = extensions.find((e) => {
      const lc = key.toLowerCase();
      const id = e.id.toLowerCase();
      return lc.startsWith(`${id}:`) || lc.startsWith(`${id}.`);
    });
    if (qualified) {
      const attr = key.slice(qualified.id.length + 1);
      ext.set(qualified.id, { ...ext.get(qualified.id), ...normalizeExtension(type, qualified.id, { [attr]: raw }, rewrites, registry) });
      noteRewrite(rewrites, key.charAt(qualified.id.length) === "." ? "legacyExtensionDot" : "urnQualifiedKey");
      continue;
    }
    // A core attribute may also arrive URN-qualified (`urn:…:core:2.0:User:userName`).
    const coreKey = key.toLowerCase().startsWith(core.id.toLowerCase() + ":") ? key.slice(core.id.length + 1) : key;
    const def = findAttributeIn(defs, coreKey);
    if (!def && coreKey === key) noteUndeclaredExtension(rewrites, key, raw);
    if (!def || raw === null || raw === undefined) continue; // unknown attributes are ignored (RFC 7644 §3.3 lets us; Entra sends many)
    if (type === "Group" && def.name === "members") {
      members = memberInputs(normaliseShapes({ schema: core.id, attribute: def }, raw, rewrites));
      continue;
    }
    if (def.mutability === "readOnly" || def.mutability === "writeOnly") continue; // ignored; password never stored
    const v = normalizeAttributeValue(def, normaliseShapes({ schema: core.id, attribute: def }, raw, rewrites), def.name, rewrites);
    if (v !== undefined) doc[def.name] = v;
  }
  for (const [urn, value] of ext) if (Object.keys(value).length) doc[urn] = value;

  const required = core.attributes.filter((a) => a.required).map((a) => a.name);
  for (const name of required) {
    if (typeof doc[name] !== "string" || (doc[name] as string).trim() === "") throw invalidValue(`${name} is required`);
  }
  return { doc, ...(members ? { members } : {}), rewrites };
}
