// attributes / excludedAttributes (RFC 7644 §3.4.2.5) with the schema's `returned` rules
// (RFC 7643 §7): `always` attributes (id, and schemas) always come back, `never` ones never do.
// Extension (RFC 7644 §3.10 lets servers add features): a name may carry a value filter,
// `emails[type eq "work"]` or `emails[type eq "work"].value`, evaluated by the filter engine on
// each value; only the matching values are returned (attributes) or left out (excludedAttributes).
import { invalidValue, ScimError } from "./errors";
import type { FilterNode } from "./filter/ast";
import { matchesElement, validateFilter } from "./filter/evaluate";
import { parsePatchPath } from "./filter/parser";
import type { AttributeDefinition, ResourceTypeName } from "./schema/attribute";
import { commonAttributes } from "./schema/common";
import { builtInRegistry, findAttributeIn, schemasOf, splitAttributeName, type SchemaRegistry } from "./schema/registry";

export interface ProjectionParams {
  attributes?: string[];
  excludedAttributes?: string[];
}

/**
 * Split a comma-separated parameter; undefined when absent or empty. Commas inside a value
 * filter (`emails[value eq "a,b"]`) do not split: only those outside brackets and quotes do.
 */
export function parseAttributeList(param: string | undefined): string[] | undefined {
  if (param === undefined) return undefined;
  const list: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < param.length; i++) {
    const ch = param[i];
    if (quoted) {
      if (ch === "\\") i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === "[") depth++;
    else if (ch === "]") depth = Math.max(0, depth - 1);
    else if (ch === "," && depth === 0) {
      list.push(param.slice(start, i));
      start = i + 1;
    }
  }
  list.push(param.slice(start));
  const names = list.map((s) => s.trim()).filter(Boolean);
  return names.length ? names : undefined;
}

/**
 * Checks the syntax of the names before anything is read or written: a value filter must parse
 * as `attr[filter]` or `attr[filter].sub` (the PATCH path grammar). Whether the attribute can
 * take a filter is checked against the tenant's schemas when the resource is projected.
 */
export function checkAttributeNames(names: string[] | undefined, param: "attributes" | "excludedAttributes"): void {
  for (const name of names ?? []) {
    if (!/[[\]]/.test(name)) continue;
    try {
      parsePatchPath(name);
    } catch (err) {
      if (!(err instanceof ScimError)) throw err;
      throw invalidValue(`${param}: "${name.slice(0, 100)}" is not an attribute name or attr[filter] / attr[filter].sub (${err.detail})`);
    }
  }
}

/** A requested name resolved to (container key, attribute, optional sub-attribute), lower-cased. */
interface Ref {
  container: string | undefined; // extension URN (lower-case) or undefined for core/common
  attribute: string | undefined; // undefined = the whole extension
  sub: string | undefined;
  /** `emails[type eq "work"]`: only the values this matches are addressed. */
  filter?: FilterNode;
}

/** `attr[filter]` / `attr[filter].sub`: the attribute's Ref plus the filter, checked like a list filter. */
function valueFilterRef(type: ResourceTypeName, name: string, registry: SchemaRegistry): Ref | undefined {
  const parsed = parsePatchPath(name, registry);
  if (!parsed.filter) return toRef(type, name, registry);
  // Refuses attributes that cannot take a value filter (userName[…]) and unknown sub-attributes.
  validateFilter({ kind: "valuePath", path: parsed.path, filter: parsed.filter }, type, registry);
  const attrName = parsed.path.urn ? `${parsed.path.urn}:${parsed.path.attribute}` : parsed.path.attribute;
  const ref = toRef(type, attrName, registry);
  return ref && { ...ref, sub: parsed.subAttribute?.toLowerCase(), filter: parsed.filter };
}

function toRef(type: ResourceTypeName, name: string, registry: SchemaRegistry): Ref | undefined {
  if (/[[\]]/.test(name)) return valueFilterRef(type, name, registry);
  const { extensions } = schemasOf(type, registry);
  const whole = extensions.find((e) => e.id.toLowerCase() === name.toLowerCase());
  if (whole) return { container: whole.id.toLowerCase(), attribute: undefined, sub: undefined };
  const path = splitAttributeName(name, type, registry);
  const core = path.urn && !extensions.some((e) => e.id.toLowerCase() === path.urn!.toLowerCase());
  return {
    container: path.urn && !core ? path.urn.toLowerCase() : undefined,
    attribute: path.attribute.toLowerCase(),
    sub: path.subAttribute?.toLowerCase(),
  };
}

/** The requested names that address this attribute (a bare extension URN addresses all of its attributes). */
const matches = (refs: Ref[], container: string | undefined, attribute: string) =>
  refs.filter((r) => r.container === container && (r.attribute === undefined || r.attribute === attribute));

function definitionsFor(type: ResourceTypeName, container: string | undefined, registry: SchemaRegistry): readonly AttributeDefinition[] {
  const { core, extensions } = schemasOf(type, registry);
  if (container === undefined) return [...commonAttributes, ...core.attributes];
  return extensions.find((e) => e.id.toLowerCase() === container)?.attributes ?? [];
}

/** One requested name as it applies to the values of an attribute: which values, which sub-attribute. */
interface Clause {
  filter: FilterNode | undefined; // undefined = every value
  sub: string | undefined; // undefined = the whole value
}

/**
 * What projection does with one attribute: leave it out, keep it whole, keep/drop some
 * sub-attributes, or (value filters) decide value by value.
 */
type Decision =
  | { kind: "omit" }
  | { kind: "whole" }
  | { kind: "subs"; subs: Set<string>; keep: boolean }
  | { kind: "values"; clauses: Clause[]; keep: boolean };

const clauseOf = (r: Ref): Clause => ({ filter: r.filter, sub: r.attribute === undefined ? undefined : r.sub });

interface Params {
  include?: Ref[];
  exclude: Ref[];
  registry: SchemaRegistry;
}

function decide(def: AttributeDefinition, container: string | undefined, p: Params): Decision {
  if (def.returned === "never") return { kind: "omit" }; // password (RFC 7643 §4.1.1)
  if (def.returned === "always") return { kind: "whole" }; // excludedAttributes cannot remove these (§3.4.2.5)
  const name = def.name.toLowerCase();
  if (p.include) {
    const hits = matches(p.include, container, name);
    if (hits.length === 0) return { kind: "omit" };
    if (def.subAttributes && hits.some((h) => h.filter)) return { kind: "values", clauses: hits.map(clauseOf), keep: true };
    // Only some sub-attributes asked for ("name.givenName", "emails.value").
    if (def.subAttributes && hits.every((h) => h.sub !== undefined && h.attribute !== undefined)) {
      return { kind: "subs", subs: new Set(hits.map((h) => h.sub!)), keep: true };
    }
    return { kind: "whole" };
  }
  if (def.returned === "request") return { kind: "omit" };
  const excluded = matches(p.exclude, container, name);
  if (excluded.some((e) => e.sub === undefined && !e.filter)) return { kind: "omit" };
  if (def.subAttributes && excluded.some((e) => e.filter)) return { kind: "values", clauses: excluded.map(clauseOf), keep: false };
  if (excluded.length && def.subAttributes) return { kind: "subs", subs: new Set(excluded.map((e) => e.sub!)), keep: false };
  return { kind: "whole" };
}

/** Project the attributes of a container (the resource's core level or one extension object). */
function projectContainer(obj: Record<string, unknown>, type: ResourceTypeName, container: string | undefined, p: Params) {
  const defs = definitionsFor(type, container, p.registry);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    const def = findAttributeIn(defs, key);
    if (!def) continue;
    const decision = decide(def, container, p);
    switch (decision.kind) {
      case "omit":
        break;
      case "whole":
        out[key] = value;
        break;
      case "subs": {
        const picked = pickSubs(value, def, decision.subs, decision.keep);
        if (picked !== undefined) out[key] = picked;
        break;
      }
      case "values": {
        const picked = pickValues(value, def, decision.clauses, decision.keep);
        if (picked !== undefined) out[key] = picked;
        break;
      }
      default: {
        const never: never = decision;
        throw new Error(`unhandled decision ${String(never)}`);
      }
    }
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Keep (or drop) the named sub-attributes; elements left empty are removed (no `{}` in output). */
function pickSubs(value: unknown, def: AttributeDefinition, subs: Set<string>, keep: boolean): unknown {
  const pick = (v: unknown) => {
    if (!isRecord(v)) return v;
    const entries = Object.entries(v).filter(([k]) => {
      const sub = def.subAttributes && findAttributeIn(def.subAttributes, k);
      if (sub?.returned === "always") return true;
      if (sub?.returned === "never") return false;
      return subs.has(k.toLowerCase()) === keep;
    });
    return entries.length ? Object.fromEntries(entries) : undefined;
  };
  if (!Array.isArray(value)) return pick(value);
  const items = value.map(pick).filter((v) => v !== undefined);
  return items.length || value.length === 0 ? items : undefined;
}

/**
 * Value by value: the clauses whose filter matches a value apply to it. Kept (attributes): a value
 * no clause applies to is left out; one a whole-value clause applies to is kept whole; otherwise
 * only the named sub-attributes. Dropped (excludedAttributes): the reverse. An attribute left with
 * no values is left out.
 */
function pickValues(value: unknown, def: AttributeDefinition, clauses: Clause[], keep: boolean): unknown {
  const one = (element: unknown): unknown => {
    const applying = clauses.filter((c) => c.filter === undefined || matchesElement(c.filter, element, def));
    const whole = applying.some((c) => c.sub === undefined);
    if (keep) {
      if (applying.length === 0) return undefined;
      return whole ? element : pickSubs(element, def, new Set(applying.map((c) => c.sub!)), true);
    }
    if (whole) return undefined;
    return applying.length === 0 ? element : pickSubs(element, def, new Set(applying.map((c) => c.sub!)), false);
  };
  if (!Array.isArray(value)) return one(value);
  const items = value.map(one).filter((v) => v !== undefined);
  return items.length ? items : undefined;
}

function toParams(type: ResourceTypeName, p: ProjectionParams, registry: SchemaRegistry): Params {
  const include = p.attributes?.map((a) => toRef(type, a, registry)).filter((r): r is Ref => r !== undefined);
  const exclude = (p.excludedAttributes ?? []).map((a) => toRef(type, a, registry)).filter((r): r is Ref => r !== undefined);
  return { ...(include ? { include } : {}), exclude, registry };
}

/** Apply attributes/excludedAttributes to a full SCIM resource. */
export function projectResource(
  resource: Record<string, unknown>,
  type: ResourceTypeName,
  p: ProjectionParams,
  registry: SchemaRegistry = builtInRegistry,
): Record<string, unknown> {
  const params = toParams(type, p, registry);
  const { include, exclude } = params;
  const { extensions } = schemasOf(type, registry);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === "schemas") {
      out[key] = value;
      continue;
    }
    const extension = extensions.find((e) => e.id.toLowerCase() === key.toLowerCase());
    if (extension) {
      const container = extension.id.toLowerCase();
      if (include && !include.some((r) => r.container === container)) continue;
      if (!include && exclude.some((r) => r.container === container && r.attribute === undefined)) continue;
      if (!isRecord(value)) continue;
      const inner = projectContainer(value, type, container, params);
      if (Object.keys(inner).length) out[key] = inner;
      continue;
    }
    Object.assign(out, projectContainer({ [key]: value }, type, undefined, params));
  }
  // Data kept under an extension the tenant no longer declares is not shown, so not listed either.
  if (Array.isArray(out["schemas"])) {
    const known = [schemasOf(type, registry).core, ...extensions].map((s) => s.id);
    out["schemas"] = out["schemas"].filter((urn) => typeof urn === "string" && known.includes(urn));
  }
  return out;
}

/**
 * Would this attribute (canonical core-level name such as "members" or "groups") appear in the
 * projected output? Lets routes skip reading member rows when the client did not ask for them.
 */
export function isAttributeRequested(
  type: ResourceTypeName,
  p: ProjectionParams,
  attributeName: string,
  registry: SchemaRegistry = builtInRegistry,
): boolean {
  const def = findAttributeIn(definitionsFor(type, undefined, registry), attributeName);
  if (!def) return false;
  return decide(def, undefined, toParams(type, p, registry)).kind !== "omit";
}
