// Apply parsed PATCH operations (RFC 7644 §3.5.2) to a stored document: all or nothing, in order,
// on a copy. Pure: no SQL, no HTTP. Group membership comes back as MemberChange deltas.
import { deepEqual } from "../../platform/deep-equal";
import { invalidValue, ScimError } from "../errors";
import type { AttributePath } from "../filter/ast";
import type { ResourceTypeName } from "../schema/attribute";
import { noteUndeclaredExtension } from "../schema/declared-extension";
import { builtInRegistry, schemasOf, splitAttributeName, type SchemaRegistry } from "../schema/registry";
import { noteRewrite, routeBareManagerPath, splitPathlessKey, type PatchOpName, type Rewrite } from "../compat/entra";
import { isObject, type Obj } from "./doc";
import { applyEdit } from "./edit";
import { memberChangeFor, type MemberBudget, type MemberChange } from "./members";
import type { PatchOperation } from "./operations";
import { resolvePatchTarget, targetOf, type Target } from "./target";

export type { MemberChange, MemberInput } from "./members";

export interface PatchResult {
  resource: Record<string, unknown>;
  /** Whether the document differs or membership deltas were produced (no version bump otherwise). */
  changed: boolean;
  rewrites: Rewrite[];
  memberChanges: MemberChange[];
}

interface State {
  type: ResourceTypeName;
  registry: SchemaRegistry;
  doc: Obj;
  rewrites: Rewrite[];
  memberChanges: MemberChange[];
  budget: MemberBudget;
}

/**
 * Apply `operations` to `resource` (the STORED shape: no schemas/id/meta/groups/members).
 * The input is never mutated; the first failing operation throws a ScimError whose detail names
 * its index, and nothing is applied (RFC 7644 §3.5.2: the PATCH is atomic).
 * Membership no-ops (adding an existing member) can only be detected by storage.
 */
export function applyPatch(
  resource: Record<string, unknown>,
  operations: PatchOperation[],
  type: ResourceTypeName,
  registry: SchemaRegistry = builtInRegistry,
): PatchResult {
  const state: State = { type, registry, doc: structuredClone(resource), rewrites: [], memberChanges: [], budget: { used: 0 } };
  for (const operation of operations) {
    try {
      applyOperation(state, operation);
    } catch (err) {
      if (!(err instanceof ScimError)) throw err;
      throw new ScimError(err.status, `Operations[${operation.index}]: ${err.detail}`, err.scimType, { cause: err });
    }
  }
  return {
    resource: state.doc,
    changed: state.memberChanges.length > 0 || !deepEqual(resource, state.doc),
    rewrites: state.rewrites,
    memberChanges: state.memberChanges,
  };
}

const isMembers = (s: State, t: Target) => s.type === "Group" && !t.ext && t.attr.name === "members";

function pushMemberChange(s: State, change: MemberChange): void {
  if ((change.kind === "add" && change.members.length === 0) || (change.kind === "remove" && change.ids.length === 0)) return;
  s.memberChanges.push(change);
}

function applyOperation(s: State, operation: PatchOperation): void {
  const hasValue = Object.hasOwn(operation, "value");
  if (operation.path === undefined) return applyValueObject(s, operation.op, operation.value, "value", pathlessKey);
  const resolved = resolvePatchTarget(operation.path, s.type, s.rewrites, s.registry);
  // Like POST/PUT: an extension the tenant never declared is dropped and counted, not an error.
  if (resolved.kind === "undeclared") {
    noteUndeclaredExtension(s.rewrites, operation.path, operation.value);
    return;
  }
  if (resolved.kind === "extension") return applyExtension(s, operation.op, resolved.urn, operation.value, resolved.label);
  const t = resolved.target;
  if (isMembers(s, t)) {
    const change = memberChangeFor(
      { op: operation.op, label: t.label, ...(t.filter ? { filter: t.filter } : {}), hasSub: t.sub !== undefined, value: operation.value, hasValue },
      s.rewrites,
      s.budget,
    );
    return pushMemberChange(s, change);
  }
  applyEdit(s.doc, { op: operation.op, target: t, value: operation.value, hasValue }, s.rewrites);
}

/** A path naming a whole extension (`urn:…:enterprise:2.0:User`): its object's keys are attributes. */
function applyExtension(s: State, op: PatchOpName, urn: string, value: unknown, label: string): void {
  const empty = value === null || value === "";
  // The extension object holds no required or immutable attribute, so removing it is always allowed.
  if (op === "remove" || (op === "replace" && empty)) {
    delete s.doc[urn];
    return;
  }
  if (empty) return; // an add of nothing
  applyValueObject(s, op, value, label, (key) => splitAttributeName(`${urn}:${key}`, s.type, s.registry));
}

function pathlessKey(key: string, s: State): AttributePath {
  return routeBareManagerPath(splitPathlessKey(key, s.type, s.rewrites, s.registry), s.type, s.rewrites);
}

/**
 * RFC 7644 §3.5.2.1/§3.5.2.3 without a path: the value's keys are attributes of the resource.
 * Entra writes them dotted or URN-qualified. Like POST/PUT (RFC 7644 §3.3),
 * unknown and readOnly keys are ignored here — Okta, for one, echoes `id` in a path-less replace —
 * while the same attribute named in a `path` is an error.
 */
function applyValueObject(
  s: State,
  op: PatchOpName,
  value: unknown,
  label: string,
  pathOf: (key: string, s: State) => AttributePath,
): void {
  if (!isObject(value)) throw invalidValue(`${op} of "${label}" needs an object value (RFC 7644 §3.5.2)`);
  const extensions = schemasOf(s.type, s.registry).extensions;
  for (const [key, v] of Object.entries(value)) {
    if (key.toLowerCase() === "schemas") continue;
    const ext = extensions.find((e) => e.id.toLowerCase() === key.toLowerCase());
    if (ext) {
      applyExtension(s, op, ext.id, v, key);
      continue;
    }
    const t = targetOf(s.type, pathOf(key, s), key, s.registry);
    if (!t) {
      if (!noteUndeclaredExtension(s.rewrites, key, v)) noteRewrite(s.rewrites, "pathlessUnknownKeyIgnored");
      continue;
    }
    if (isMembers(s, t)) {
      pushMemberChange(s, memberChangeFor({ op, label: key, hasSub: t.sub !== undefined, value: v, hasValue: true }, s.rewrites, s.budget));
      continue;
    }
    if (t.attr.mutability === "readOnly" || t.sub?.mutability === "readOnly") {
      noteRewrite(s.rewrites, "pathlessReadOnlyKeyIgnored");
      continue;
    }
    applyEdit(s.doc, { op, target: t, value: v, hasValue: true }, s.rewrites);
  }
}
