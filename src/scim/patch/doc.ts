// Read and write one attribute of a stored document (core attributes at top level, extension
// attributes under their URN key), and the mutability rules every write must pass.
import { deepEqual } from "../../platform/deep-equal";
import { mutability } from "../errors";
import type { AttributeDefinition } from "../schema/attribute";
import type { Target } from "./target";

export type Obj = Record<string, unknown>;

export const isObject = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

function container(doc: Obj, t: Target, create: boolean): Obj | undefined {
  if (!t.ext) return doc;
  const existing = doc[t.ext];
  if (isObject(existing)) return existing;
  if (!create) return undefined;
  const made: Obj = {};
  doc[t.ext] = made;
  return made;
}

export function getAttribute(doc: Obj, t: Target): unknown {
  return container(doc, t, false)?.[t.attr.name];
}

export function setAttribute(doc: Obj, t: Target, value: unknown): void {
  container(doc, t, true)![t.attr.name] = value;
}

/** Delete the attribute; an extension object left empty is removed too (unassigned, RFC 7643 §2.5). */
export function deleteAttribute(doc: Obj, t: Target): void {
  const c = container(doc, t, false);
  if (!c) return;
  delete c[t.attr.name];
  if (t.ext && Object.keys(c).length === 0) delete doc[t.ext];
}

/** RFC 7644 §3.5.2: readOnly attributes cannot be modified by any operation. */
export function checkWritable(t: Target): void {
  if (t.attr.mutability === "readOnly") throw mutability(`"${t.label}": ${t.attr.name} is readOnly`);
  if (t.sub?.mutability === "readOnly") throw mutability(`"${t.label}": ${t.attr.name}.${t.sub.name} is readOnly`);
}

/**
 * RFC 7644 §3.5.2.2: removing (or clearing) a required attribute is a mutability error; an
 * immutable attribute that has a value cannot lose it either.
 */
export function checkRemovable(t: Target): void {
  if (t.attr.required) throw mutability(`"${t.label}": ${t.attr.name} is required and cannot be removed`);
  if (t.attr.mutability === "immutable") throw mutability(`"${t.label}": ${t.attr.name} is immutable`);
}

/** RFC 7644 §3.5.2: an immutable attribute may only be added when it had no previous value. */
export function checkImmutable(label: string, def: AttributeDefinition, before: unknown, after: unknown): void {
  if (def.mutability === "immutable" && before !== undefined && !deepEqual(before, after)) {
    throw mutability(`"${label}": ${def.name} is immutable and already has a value`);
  }
}
