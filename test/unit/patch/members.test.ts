// Group PATCH: the stored document changes like any resource, while `members` operations become
// MemberChange deltas — never an edit of a loaded member list.
import { describe, expect, it } from "vitest";
import type { MemberChange } from "../../../src/scim/patch/apply";
import { MAX_MEMBER_VALUES_PER_PATCH } from "../../../src/scim/urns";
import { deepFreeze, expectScimError, patch, type ExpectedError } from "./support";

const group = deepFreeze({ displayName: "Engineering", externalId: "g-ext" });
const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);

describe("applyPatch on Groups: member changes", () => {
  const cases: { name: string; ops: unknown[]; changes: MemberChange[]; rewrites?: string[] }[] = [
    {
      name: "Add members with $ref null",
      ops: [{ op: "Add", path: "members", value: [{ $ref: null, value: "f648f8d5ea4e4cd38e9c" }] }],
      changes: [{ kind: "add", members: [{ value: "f648f8d5ea4e4cd38e9c" }] }],
    },
    ...[1, 100, 1000].map((n) => ({
      name: `Add ${n} members in one value array`,
      ops: [{ op: "add", path: "members", value: ids(n).map((value) => ({ value })) }],
      changes: [{ kind: "add", members: ids(n).map((value) => ({ value })) }] as MemberChange[],
    })),
    {
      name: "member type is kept and canonicalised",
      ops: [{ op: "add", path: "members", value: [{ value: "g2", type: "group" }, { value: "u1", type: "User" }] }],
      changes: [{ kind: "add", members: [{ value: "g2", type: "Group" }, { value: "u1", type: "User" }] }],
    },
    {
      name: "a single member object is accepted (membersSingleValue)",
      ops: [{ op: "Add", path: "members", value: { value: "u1" } }],
      changes: [{ kind: "add", members: [{ value: "u1" }] }],
      rewrites: ["membersSingleValue"],
    },
    {
      name: "a bare id string is accepted",
      ops: [{ op: "Add", path: "members", value: "u1" }],
      changes: [{ kind: "add", members: [{ value: "u1" }] }],
      rewrites: ["membersSingleValue"],
    },
    {
      name: "legacy Remove with a value array removes exactly those members, never all (membersRemoveWithValue)",
      ops: [{ op: "Remove", path: "members", value: [{ $ref: null, value: "u1" }, { value: "u2" }] }],
      changes: [{ kind: "remove", ids: ["u1", "u2"] }],
      rewrites: ["membersRemoveWithValue"],
    },
    {
      name: "legacy Remove with a single object value",
      ops: [{ op: "Remove", path: "members", value: { value: "u1" } }],
      changes: [{ kind: "remove", ids: ["u1"] }],
      rewrites: ["membersRemoveWithValue"],
    },
    {
      name: "RFC remove with members[value eq \"id\"]",
      ops: [{ op: "remove", path: 'members[value eq "7f4bc1a3"]' }],
      changes: [{ kind: "remove", ids: ["7f4bc1a3"] }],
    },
    {
      name: "remove with an or of value eq terms",
      ops: [{ op: "remove", path: 'members[value eq "a" or value eq "b" or value eq "c"]' }],
      changes: [{ kind: "remove", ids: ["a", "b", "c"] }],
    },
    { name: "Remove path members without value removes all", ops: [{ op: "Remove", path: "members" }], changes: [{ kind: "removeAll" }] },
    {
      name: "replace members replaces the whole list",
      ops: [{ op: "replace", path: "members", value: [{ value: "u1" }, { value: "u2" }] }],
      changes: [{ kind: "replaceAll", members: [{ value: "u1" }, { value: "u2" }] }],
    },
    { name: "replace members with [] empties the group", ops: [{ op: "replace", path: "members", value: [] }], changes: [{ kind: "replaceAll", members: [] }] },
    {
      name: "Add and Remove in one request both apply, in order",
      ops: [
        { op: "Add", path: "members", value: [{ value: "u1" }, { value: "u2" }] },
        { op: "Remove", path: "members", value: [{ value: "u3" }] },
        { op: "remove", path: 'members[value eq "u4"]' },
      ],
      changes: [
        { kind: "add", members: [{ value: "u1" }, { value: "u2" }] },
        { kind: "remove", ids: ["u3"] },
        { kind: "remove", ids: ["u4"] },
      ],
    },
    {
      name: "path-less add with a members key adds",
      ops: [{ op: "add", value: { members: [{ value: "u1" }] } }],
      changes: [{ kind: "add", members: [{ value: "u1" }] }],
    },
    {
      name: "MEMBERS in any case is the members attribute",
      ops: [{ op: "add", path: "MEMBERS", value: [{ value: "u1" }] }],
      changes: [{ kind: "add", members: [{ value: "u1" }] }],
    },
  ];
  it.each(cases)("$name", ({ ops, changes, rewrites }) => {
    const result = patch(group, ops, "Group");
    expect(result.memberChanges).toEqual(changes);
    expect(result.resource).toEqual(group);
    expect(result.changed).toBe(true);
    expect(result.rewrites).toEqual(expect.arrayContaining(rewrites ?? []));
  });

  it("a legacy Remove with an empty value array changes nothing (never removeAll)", () => {
    const result = patch(group, [{ op: "Remove", path: "members", value: [] }], "Group");
    expect(result).toMatchObject({ memberChanges: [], changed: false });
  });

  it("replace displayName changes the document only", () => {
    const result = patch(group, [{ op: "Replace", path: "displayName", value: "Eng 2" }], "Group");
    expect(result).toEqual({ resource: { ...group, displayName: "Eng 2" }, changed: true, rewrites: ["opCase"], memberChanges: [] });
  });

  it("path-less replace with displayName and members changes both", () => {
    const result = patch(group, [{ op: "replace", value: { displayName: "New", members: [{ value: "u9" }] } }], "Group");
    expect(result.resource).toEqual({ ...group, displayName: "New" });
    expect(result.memberChanges).toEqual([{ kind: "replaceAll", members: [{ value: "u9" }] }]);
  });

  it(`at most ${MAX_MEMBER_VALUES_PER_PATCH} member values in one request`, () => {
    const half = ids(MAX_MEMBER_VALUES_PER_PATCH / 2).map((value) => ({ value }));
    expect(patch(group, [{ op: "add", path: "members", value: half }, { op: "add", path: "members", value: half }], "Group").memberChanges).toHaveLength(2);
    expectScimError(
      () => patch(group, [{ op: "add", path: "members", value: half }, { op: "add", path: "members", value: [...half, { value: "x" }] }], "Group"),
      { scimType: "tooMany", detail: `Operations[1]: at most ${MAX_MEMBER_VALUES_PER_PATCH} member values` },
    );
  });
});

describe("applyPatch on Groups: errors", () => {
  const cases: { name: string; ops: unknown[]; error: ExpectedError }[] = [
    {
      name: "a members filter other than value eq is invalidFilter, explaining why",
      ops: [{ op: "remove", path: 'members[type eq "User"]' }],
      error: { scimType: "invalidFilter", detail: "members are stored as rows" },
    },
    { name: "value ne is not supported on members", ops: [{ op: "remove", path: 'members[value ne "a"]' }], error: { scimType: "invalidFilter", detail: 'only value eq "<id>" filters' } },
    { name: "and of value eq is not supported on members", ops: [{ op: "remove", path: 'members[value eq "a" and value eq "b"]' }], error: { scimType: "invalidFilter", detail: 'only value eq "<id>" filters' } },
    { name: "add with a members filter is invalidPath", ops: [{ op: "add", path: 'members[value eq "a"]', value: { value: "a" } }], error: { scimType: "invalidPath", detail: 'use path "members"' } },
    { name: "a members sub-attribute path is invalidPath", ops: [{ op: "replace", path: "members.value", value: "a" }], error: { scimType: "invalidPath", detail: "members can only be added, replaced or removed whole" } },
    { name: "a path-less members.value key is invalidPath", ops: [{ op: "add", value: { "members.value": "a" } }], error: { scimType: "invalidPath", detail: "members can only be added" } },
    { name: "a member without value is invalidValue", ops: [{ op: "add", path: "members", value: [{ display: "x" }] }], error: { scimType: "invalidValue", detail: "members[0].value must be a non-empty string" } },
    { name: "a member with an empty value is invalidValue", ops: [{ op: "add", path: "members", value: [{ value: "a" }, { value: "" }] }], error: { scimType: "invalidValue", detail: "members[1].value" } },
    { name: "a member of an unknown type is invalidValue", ops: [{ op: "add", path: "members", value: [{ value: "a", type: "Robot" }] }], error: { scimType: "invalidValue", detail: 'members[0].type must be "User" or "Group"' } },
    { name: "a number as member is invalidValue", ops: [{ op: "add", path: "members", value: [42] }], error: { scimType: "invalidValue", detail: "members[0] must be an object" } },
    { name: "remove of required displayName is mutability", ops: [{ op: "remove", path: "displayName" }], error: { scimType: "mutability", detail: "displayName is required" } },
    { name: "User attributes do not exist on Groups", ops: [{ op: "replace", path: "userName", value: "x" }], error: { scimType: "invalidPath", detail: 'unknown attribute "userName"' } },
  ];
  it.each(cases)("$name", ({ ops, error }) => {
    expectScimError(() => patch(group, ops, "Group"), error);
  });
});
