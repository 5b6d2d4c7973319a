// attributes / excludedAttributes (RFC 7644 §3.4.2.5) with the schema's `returned` rules
// (RFC 7643 §7): `always` attributes (id, and schemas) always come back, `never` ones never do.
import { invalidValue } from "./errors";
import type { AttributeDefinition, ResourceTypeName } from "./schema/attribute";
import { commonAttributes } from "./schema/common";
import { builtInRegistry, findAttributeIn, schemasOf, splitAttributeName, type SchemaRegistry } from "./schema/registry";

export interface ProjectionParams {
  attributes?: string[];
  excludedAttributes?: string[];
}

/** Split a comma-separated parameter; undefined when absent or empty. */
export function parseAttributeList(param: string | undefined): string[] | undefined {
  if (param === undefined) return undefined;
  const list = param.split(",").map((s) => s.trim()).filter(Boolean);
  return list.length ? list : undefined;
}

/**
 * RFC 7644 §3.4.2.5 takes attribute names only. A value filter (`emails[type eq "work"]`) is not
 * one; ignoring it would silently drop the attribute from the response, so it is refused.
 */
export function checkAttributeNames(names: string[] | undefined, param: "attributes" | "excludedAttributes"): void {
  const filtered = names?.find((n) => /[[\]]/.test(n));
  if (filtered !== undefined) {
    throw invalidValue(`${param} takes attribute names, not value filters ("${filtered.slice(0, 100)}"); filter the resources with filter=`);
  }
}

/** A requested name resolved to (container key, attribute, optional sub-attribute), lower-cased. */
interface Ref {
  container: string | undefined; // extension URN (lower-case) or undefined for core/common
  attribute: string | undefined; // undefined = the whole extension
  sub: string | undefined;
}

function toRef(type: ResourceTypeName, name: string, registry: SchemaRegistry): Ref | undefined {
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

/** What projection does with one attribute: leave it out, keep it whole, or keep/drop some sub-attributes. */
type Decision = { kind: "omit" } | { kind: "whole" } | { kind: "subs"; subs: Set<string>; keep: boolean };

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
    // Only some sub-attributes asked for ("name.givenName", "emails.value").
    if (def.subAttributes && hits.every((h) => h.sub !== undefined && h.attribute !== undefined)) {
      return { kind: "subs", subs: new Set(hits.map((h) => h.sub!)), keep: true };
    }
    return { kind: "whole" };
  }
  if (def.returned === "request") return { kind: "omit" };
  const excluded = matches(p.exclude, container, name);
  if (excluded.some((e) => e.sub === undefined)) return { kind: "omit" };
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
