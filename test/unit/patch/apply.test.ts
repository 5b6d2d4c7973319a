// applyPatch on Users: every RFC 7644 §3.5.2 shape from apply.cases.ts, atomicity,
// no-op detection and input immutability.
import { describe, expect, it } from "vitest";
import { applyPatch } from "../../../src/scim/patch/apply";
import { parsePatchRequest } from "../../../src/scim/patch/operations";
import { baseUser, rfcCases, rfcErrors } from "./apply.cases";
import { deepFreeze, expectScimError, patch } from "./support";

describe("applyPatch: RFC 7644 §3.5.2 operation shapes", () => {
  it.each(rfcCases)("$name", ({ resource, ops, expect: expected, changed, type }) => {
    const input = deepFreeze(structuredClone(resource ?? baseUser));
    const result = patch(input, ops, type);
    expect(result.resource).toEqual(expected);
    expect(result.changed).toBe(changed ?? true);
    expect(result.memberChanges).toEqual([]);
  });
});

describe("applyPatch: errors", () => {
  it.each(rfcErrors)("$name", ({ resource, ops, error, type }) => {
    expectScimError(() => patch(deepFreeze(structuredClone(resource ?? baseUser)), ops, type), error!);
  });
});

describe("applyPatch: atomicity and purity", () => {
  it("a failing second operation throws and leaves the input untouched", () => {
    const input = structuredClone(baseUser);
    const snapshot = structuredClone(input);
    expectScimError(
      () =>
        patch(input, [
          { op: "replace", path: "displayName", value: "changed" },
          { op: "remove", path: "userName" },
        ]),
      { scimType: "mutability", detail: "Operations[1]: " },
    );
    expect(input).toEqual(snapshot);
  });

  it("never mutates the input, even on success (deep-frozen input)", () => {
    const input = deepFreeze(structuredClone(baseUser));
    const result = patch(input, [
      { op: "replace", path: 'emails[type eq "work"].value', value: "n@x" },
      { op: "add", path: "name.middleName", value: "M" },
    ]);
    expect(result.resource).not.toBe(input);
    expect(input).toEqual(baseUser);
  });

  it("the same parsed operations can be re-applied (service retries after a lost race)", () => {
    const { operations } = parsePatchRequest({ Operations: [{ op: "Add", path: 'phoneNumbers[type eq "work"].value', value: "1" }] });
    const first = applyPatch(baseUser, operations, "User");
    const second = applyPatch(baseUser, operations, "User");
    expect(second).toEqual(first);
  });

  it("an empty Operations array changes nothing", () => {
    const result = patch(baseUser, []);
    expect(result).toEqual({ resource: baseUser, changed: false, rewrites: ["emptyOperations"], memberChanges: [] });
  });
});
