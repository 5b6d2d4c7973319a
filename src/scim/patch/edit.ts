// One add/replace/remove against one resolved Target of a stored document (RFC 7644 §3.5.2.1–3).
// Dispatches to the multi-valued helpers; mutability is checked before anything is written.
import { noteRewrite, type PatchOpName, type Rewrite } from "../compat/entra";
import type { AttributeDefinition } from "../schema/attribute";
import { checkImmutable, checkRemovable, checkWritable, deleteAttribute, getAttribute, isObject, setAttribute, type Obj } from "./doc";
import { addOrReplaceWhole, applyFiltered, applyToAllElements, removeByValue } from "./multi-valued";
import type { Target } from "./target";
import { normalizeAttribute, normalizeValue } from "./values";

export interface Edit {
  op: PatchOpName;
  target: Target;
  value: unknown;
  /** Whether the operation carried a `value` member at all. */
  hasValue: boolean;
}

export function applyEdit(doc: Obj, edit: Edit, rewrites: Rewrite[]): void {
  const t = edit.target;
  checkWritable(t);
  // The stored document never holds the password and changePassword is unsupported
  // (ServiceProviderConfig); like POST/PUT (schema/validate.ts), a written password is ignored.
  if (t.attr.mutability === "writeOnly") return noteRewrite(rewrites, "passwordIgnored");
  if (t.filter) return applyFiltered(doc, edit.op, { ...t, filter: t.filter }, edit.value, rewrites);
  if (t.sub) {
    const withSub = { ...t, sub: t.sub };
    return t.attr.multiValued ? applyToAllElements(doc, edit.op, withSub, edit.value, rewrites) : applySub(doc, edit.op, withSub, edit.value, rewrites);
  }
  applyWhole(doc, edit, rewrites);
}

function clear(doc: Obj, t: Target): void {
  if (getAttribute(doc, t) === undefined) return; // removing what is absent is a no-op
  checkRemovable(t);
  deleteAttribute(doc, t);
}

function applyWhole(doc: Obj, { op, target: t, value, hasValue }: Edit, rewrites: Rewrite[]): void {
  if (op === "remove") {
    if (t.attr.multiValued && hasValue && value !== null) return removeByValue(doc, t, value, rewrites);
    // RFC 7644 §3.5.2.2: an attribute that is required cannot be removed, even when absent.
    if (t.attr.required) checkRemovable(t);
    return clear(doc, t);
  }
  const next = normalizeAttribute(t, value, rewrites);
  if (next === undefined) {
    // replace with null/""/[] clears the attribute; add of nothing is a no-op.
    if (op === "replace") {
      if (t.attr.required) checkRemovable(t);
      clear(doc, t);
    }
    return;
  }
  if (t.attr.multiValued) return addOrReplaceWhole(doc, op, t, next as unknown[]);
  const before = getAttribute(doc, t);
  // RFC 7644 §3.5.2.1/§3.5.2.3: for a complex attribute both add and replace set the given
  // sub-attributes and leave the others unchanged.
  const merged = t.attr.type === "complex" && isObject(before) && isObject(next) ? { ...before, ...next } : next;
  checkImmutable(t.label, t.attr, before, merged);
  setAttribute(doc, t, merged);
}

/** `name.givenName`, `urn:…:User:manager.value`: one sub-attribute of a single complex attribute. */
function applySub(doc: Obj, op: PatchOpName, t: Target & { sub: AttributeDefinition }, value: unknown, rewrites: Rewrite[]): void {
  const before = getAttribute(doc, t);
  const obj: Obj = isObject(before) ? { ...before } : {};
  const next = op === "remove" ? undefined : normalizeValue(t.sub, value, t.label, rewrites);
  if (next === undefined) {
    if (op === "add" || obj[t.sub.name] === undefined) return;
    if (t.sub.required || t.sub.mutability === "immutable") checkRemovable({ ...t, attr: t.sub });
    delete obj[t.sub.name];
    if (Object.keys(obj).length === 0) return deleteAttribute(doc, t);
    return setAttribute(doc, t, obj);
  }
  checkImmutable(t.label, t.sub, obj[t.sub.name], next);
  obj[t.sub.name] = next;
  setAttribute(doc, t, obj);
}
