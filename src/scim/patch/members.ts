// Group `members` operations become MemberChange deltas, never edits of a loaded list: members
// are rows in group_members and a 20k-member group is never read whole (ENTRA.md §2.4, E37).
import { invalidFilter, invalidPath, invalidValue, tooMany } from "../errors";
import type { FilterNode } from "../filter/ast";
import { MAX_MEMBER_VALUES_PER_PATCH } from "../urns";
import { memberValueList, noteMembersRemoveWithValue, type PatchOpName } from "../compat/entra";

export interface MemberInput {
  value: string;
  type?: "User" | "Group";
}

export type MemberChange =
  | { kind: "add"; members: MemberInput[] }
  | { kind: "remove"; ids: string[] }
  | { kind: "removeAll" }
  | { kind: "replaceAll"; members: MemberInput[] };

/** Running total of member values in one request (MAX_MEMBER_VALUES_PER_PATCH). */
export interface MemberBudget {
  used: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const field = (obj: Record<string, unknown>, name: string): unknown => Object.entries(obj).find(([k]) => k.toLowerCase() === name)?.[1];

function memberInput(raw: unknown, i: number): MemberInput {
  // A bare id string is E36's shape; `$ref` (often null from Entra, E32) and display are ignored.
  const obj = typeof raw === "string" ? { value: raw } : raw;
  if (!isObject(obj)) throw invalidValue(`members[${i}] must be an object with a value`);
  const value = field(obj, "value");
  if (typeof value !== "string" || value === "") throw invalidValue(`members[${i}].value must be a non-empty string`);
  const type = field(obj, "type");
  if (type === undefined || type === null) return { value };
  const canonical = typeof type === "string" ? (["User", "Group"] as const).find((t) => t.toLowerCase() === type.toLowerCase()) : undefined;
  if (!canonical) throw invalidValue(`members[${i}].type must be "User" or "Group"`);
  return { value, type: canonical };
}

function memberInputs(value: unknown, rewrites: string[], budget: MemberBudget): MemberInput[] {
  const list = memberValueList(value === "" ? null : value, rewrites);
  budget.used += list.length;
  if (budget.used > MAX_MEMBER_VALUES_PER_PATCH) {
    throw tooMany(`at most ${MAX_MEMBER_VALUES_PER_PATCH} member values are accepted in one PATCH`);
  }
  return list.map(memberInput);
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

/** Translate one operation on `members` into a MemberChange (RFC 7644 §3.5.2, ENTRA E32–E36). */
export function memberChangeFor(m: MemberOperation, rewrites: string[], budget: MemberBudget): MemberChange {
  if (m.hasSub) throw invalidPath(`"${m.label}": members can only be added, replaced or removed whole`);
  switch (m.op) {
    case "add":
      if (m.filter) throw invalidPath(`"${m.label}": add on members takes no value filter; use path "members"`);
      return { kind: "add", members: memberInputs(m.value, rewrites, budget) };
    case "replace":
      if (m.filter) throw invalidPath(`"${m.label}": replace on members takes no value filter; use path "members"`);
      return { kind: "replaceAll", members: memberInputs(m.value, rewrites, budget) };
    case "remove":
      if (m.filter) return { kind: "remove", ids: idsFromMemberFilter(m.filter) };
      // RFC 7644 §3.5.2.2 would remove all members here; Entra means "remove these" (E33).
      if (m.hasValue && m.value !== null) {
        noteMembersRemoveWithValue(rewrites);
        return { kind: "remove", ids: memberInputs(m.value, rewrites, budget).map((x) => x.value) };
      }
      return { kind: "removeAll" };
  }
}
