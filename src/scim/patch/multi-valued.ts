// Operations on the elements of a multi-valued attribute: append without duplicates, value
// filters (RFC 7644 §3.5.2 valuePath), sub-attributes across all elements, remove-by-value.
import { deepEqual } from "../../platform/deep-equal";
import { invalidValue, noTarget } from "../errors";
import { matchesElement } from "../filter/evaluate";
import type { AttributeDefinition } from "../schema/attribute";
import { elementFromFilter, noteCreatedFilteredElement, noteRewrite, type PatchOpName, type Rewrite } from "../compat/entra";
import { checkImmutable, deleteAttribute, getAttribute, isObject, setAttribute, type Obj } from "./doc";
import type { Target } from "./target";
import { normalizeAttribute, normalizeElement, normalizeValue } from "./values";

function elementsOf(doc: Obj, t: Target): unknown[] {
  const value = getAttribute(doc, t);
  return Array.isArray(value) ? [...value] : value === undefined ? [] : [value];
}

/** RFC 7643 §2.4: "primary" true appears at most once; the elements just written win. */
function withSinglePrimary(elements: unknown[], written: readonly unknown[]): unknown[] {
  const isPrimary = (e: unknown) => isObject(e) && e["primary"] === true;
  if (!written.some(isPrimary)) return elements;
  return elements.map((e) => (isPrimary(e) && !written.includes(e) ? { ...(e as Obj), primary: false } : e));
}

function store(doc: Obj, t: Target, elements: unknown[]): void {
  if (elements.length === 0) return deleteAttribute(doc, t);
  if (elements.filter((e) => isObject(e) && e["primary"] === true).length > 1) {
    throw invalidValue(`"${t.label}": at most one ${t.attr.name} value may be primary (RFC 7643 §2.4)`);
  }
  setAttribute(doc, t, elements);
}

/** The index of an element with the same canonical `type` (one work email per user). */
function sameTypeIndex(elements: unknown[], element: unknown, attr: AttributeDefinition): number {
  const typeDef = attr.subAttributes?.find((s) => s.name === "type");
  if (!typeDef?.canonicalValues || !isObject(element) || typeof element["type"] !== "string") return -1;
  const wanted = element["type"].toLowerCase();
  return elements.findIndex((e) => isObject(e) && typeof e["type"] === "string" && e["type"].toLowerCase() === wanted);
}

/** RFC 7644 §3.5.2.1: add to a multi-valued attribute appends; exact duplicates are not repeated. */
export function appendElements(existing: unknown[], incoming: unknown[], attr: AttributeDefinition): unknown[] {
  const out = [...existing];
  for (const element of incoming) {
    if (out.some((e) => deepEqual(e, element))) continue;
    const i = sameTypeIndex(out, element, attr);
    if (i >= 0) out[i] = element;
    else out.push(element);
  }
  return withSinglePrimary(out, incoming);
}

export function addOrReplaceWhole(doc: Obj, op: "add" | "replace", t: Target, normalized: unknown[]): void {
  const next = op === "add" ? appendElements(elementsOf(doc, t), normalized, t.attr) : normalized;
  store(doc, t, next);
}

/**
 * A remove on a multi-valued attribute that carries a value removes the listed elements only:
 * the same never-wipe rule as Entra's member removal, applied to every attribute.
 */
export function removeByValue(doc: Obj, t: Target, value: unknown, rewrites: Rewrite[]): void {
  const given = normalizeAttribute(t, value, rewrites);
  if (!Array.isArray(given)) return;
  noteRewrite(rewrites, "removeWithValue");
  const matches = (e: unknown) =>
    given.some((g) => (isObject(g) && isObject(e) ? Object.entries(g).every(([k, v]) => deepEqual(e[k], v)) : deepEqual(g, e)));
  store(doc, t, elementsOf(doc, t).filter((e) => !matches(e)));
}

const omit = (e: unknown, key: string): unknown => (isObject(e) ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== key)) : e);
const nonEmpty = (e: unknown) => !(isObject(e) && Object.keys(e).length === 0);

/** `emails.value` without a filter: the sub-attribute of every element. */
export function applyToAllElements(doc: Obj, op: PatchOpName, t: Target & { sub: AttributeDefinition }, value: unknown, rewrites: Rewrite[]): void {
  const elements = elementsOf(doc, t);
  const sv = op === "remove" ? undefined : normalizeValue(t.sub, value, t.label, rewrites);
  if (sv === undefined) {
    if (op === "add") return;
    return store(doc, t, elements.map((e) => omit(e, t.sub.name)).filter(nonEmpty));
  }
  if (elements.length === 0) return store(doc, t, [{ [t.sub.name]: sv }]);
  for (const e of elements) if (isObject(e)) checkImmutable(t.label, t.sub, e[t.sub.name], sv);
  store(doc, t, elements.map((e) => (isObject(e) ? { ...e, [t.sub.name]: sv } : e)));
}

/** The filter matched nothing: create the element the filter describes or fail. */
function createFromFilter(t: Target & { filter: NonNullable<Target["filter"]> }, raw: Obj, rewrites: Rewrite[]): unknown {
  const seed = elementFromFilter(t.filter, t.attr);
  if (!seed) throw noTarget(`"${t.label}": no ${t.attr.name} value matched the filter`);
  noteCreatedFilteredElement(rewrites);
  return normalizeElement(t, { ...seed, ...raw }, rewrites);
}

/** `emails[type eq "work"]` and `emails[type eq "work"].value` (RFC 7644 §3.5.2.1–3). */
export function applyFiltered(
  doc: Obj,
  op: PatchOpName,
  t: Target & { filter: NonNullable<Target["filter"]> },
  value: unknown,
  rewrites: Rewrite[],
): void {
  const elements = elementsOf(doc, t);
  const matched = elements.filter((e) => matchesElement(t.filter, e, t.attr));
  const sub = t.sub;
  // RFC 7644 §3.12 noTarget: "the specified path … contains a filter that yields no match".
  if (op === "remove" && matched.length === 0) throw noTarget(`"${t.label}": no ${t.attr.name} value matched the filter`);
  const next = sub ? normalizeValue(sub, op === "remove" ? undefined : value, t.label, rewrites) : op === "remove" ? undefined : normalizeElement(t, value, rewrites);
  if (next === undefined) {
    // remove, or replace with null/"" (clears); an add of nothing changes nothing.
    if (op === "add") return;
    const kept = sub ? elements.map((e) => (matched.includes(e) ? omit(e, sub.name) : e)) : elements.filter((e) => !matched.includes(e));
    return store(doc, t, kept.filter(nonEmpty));
  }
  if (matched.length === 0) {
    const created = createFromFilter(t, sub ? { [sub.name]: next } : (next as Obj), rewrites);
    return store(doc, t, withSinglePrimary([...elements, created], [created]));
  }
  const written: unknown[] = [];
  const updated = elements.map((e) => {
    if (!matched.includes(e)) return e;
    let w: unknown;
    if (sub) {
      if (isObject(e)) checkImmutable(t.label, sub, e[sub.name], next);
      w = { ...(e as Obj), [sub.name]: next };
    } else {
      // add merges sub-attributes into the element; replace substitutes it (RFC 7644 §3.5.2.3).
      w = op === "add" && isObject(e) && isObject(next) ? { ...e, ...next } : next;
    }
    written.push(w);
    return w;
  });
  store(doc, t, withSinglePrimary(updated, written));
}
