// Group `members` operations become MemberChange deltas, never edits of a loaded list: members
// are rows in group_members and a 20k-member group is never read whole.
import { invalidFilter, invalidPath, tooMany } from "../errors";
import type { FilterNode } from "../filter/ast";
import { GROUP_SCHEMA, MAX_MEMBER_VALUES_PER_PATCH } from "../urns";
import { noteMembersRemoveWithValue, type PatchOpName, type Rewrite } from "../compat/entra";
import { normaliseShapes, type ShapeTarget } from "../compat/shapes";
import { memberInputs, type MemberInput } from "../groups/member-input";
import { findAttributeIn, schemasOf } from "../schema/registry";

export type { MemberInput } from "../groups/member-input";

export type MemberChange =
  | { kind: "add"; members: MemberInput[] }
  | { kind: "remove"; ids: string[] }
  | { kind: "removeAll" }
  | { kind: "replaceAll"; members: MemberInput[] };

/** Running total of member values in one request (MAX_MEMBER_VALUES_PER_PATCH). */
export interface MemberBudget {
  used: number;
}

const MEMBERS: ShapeTarget = { schema: GROUP_SCHEMA, attribute: findAttributeIn(schemasOf("Group").core.attributes, "members")! };

function budgetedMembers(value: unknown, rewrites: Rewrite[], budget: MemberBudget): MemberInput[] {
  const list = memberInputs(normaliseShapes(MEMBERS, value, rewrites));
  budget.used += list.length;
  if (budget.used > MAX_MEMBER_VALUES_PER_PATCH) {
    throw tooMany(`at most ${MAX_MEMBER_VALUES_PER_PATCH} member values are accepted in one PATCH`);
  }
  return list;
}

const ONLY_VALUE_EQ =
  'only value eq "<id>" filters (optionally joined by "or") are supported on members, because members are stored as rows and never loaded whole';

/** `members[value eq "a" or value eq "b"]` → ["a", "b"]; any other filter is invalidFilter. */
export function idsFromMemberFilter(filter: FilterNode): string[] {
  switch (filter.kind) {
    case "or":
      return [...idsFromMemberFilter(filter.left), ...idsFromMemberFilter(filter.right)];
    case "compare":
      if (filter.op === "eq" && filter.path.attribute.toLowerCase() === "value" && !filter.path.subAttribute && typeof filter.value === "string") {
        return [filter.value];
      }
      throw invalidFilter(ONLY_VALUE_EQ);
    case "and":
    case "not":
    case "present":
    case "valuePath":
      throw invalidFilter(ONLY_VALUE_EQ);
  }
}

export interface MemberOperation {
  op: PatchOpName;
  label: string;
  filter?: FilterNode;
  /** A sub-attribute in the path (`members.value`, `members[…].display`): not supported. */
  hasSub: boolean;
  value: unknown;
  hasValue: boolean;
}

/** Translate one operation on `members` into a MemberChange (RFC 7644 §3.5.2). */
export function memberChangeFor(m: MemberOperation, rewrites: Rewrite[], budget: MemberBudget): MemberChange {
  if (m.hasSub) throw invalidPath(`"${m.label}": members can only be added, replaced or removed whole`);
  switch (m.op) {
    case "add":
      if (m.filter) throw invalidPath(`"${m.label}": add on members takes no value filter; use path "members"`);
      return { kind: "add", members: budgetedMembers(m.value, rewrites, budget) };
    case "replace":
      if (m.filter) throw invalidPath(`"${m.label}": replace on members takes no value filter; use path "members"`);
      return { kind: "replaceAll", members: budgetedMembers(m.value, rewrites, budget) };
    case "remove":
      if (m.filter) return { kind: "remove", ids: idsFromMemberFilter(m.filter) };
      // RFC 7644 §3.5.2.2 would remove all members here; Entra means "remove these".
      if (m.hasValue && m.value !== null) {
        noteMembersRemoveWithValue(rewrites);
        return { kind: "remove", ids: budgetedMembers(m.value, rewrites, budget).map((x) => x.value) };
      }
      return { kind: "removeAll" };
  }
}
