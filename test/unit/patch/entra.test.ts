// Entra's PATCH shapes through the real envelope parser and engine.
// Each case asserts the whole stored document and the rewrite names reported for counters.
import { describe, expect, it } from "vitest";
import { entraCases, entraUser } from "./entra.cases";
import { deepFreeze, ENT, patch } from "./support";

describe("applyPatch: Entra user shapes", () => {
  it.each(entraCases)("$name", ({ resource, ops, expect: expected, changed, rewrites }) => {
    const result = patch(deepFreeze(structuredClone(resource ?? entraUser)), ops);
    expect(result.resource).toEqual(expected);
    expect(result.changed).toBe(changed ?? true);
    expect(result.rewrites).toEqual(expect.arrayContaining(rewrites));
  });

  it("nothing is ever stored under a literal dotted or URN-qualified key", () => {
    const result = patch(entraUser, [{ op: "add", value: { "name.givenName": "G", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "D" } }]);
    const keys = Object.keys(result.resource);
    expect(keys.filter((k) => k !== ENT && (k.includes(".") || k.includes(":")))).toEqual([]);
    expect(result.resource).toMatchObject({ name: { givenName: "G" }, [ENT]: { department: "D" } });
  });

  it("rewrites are reported once per request even when a shape repeats", () => {
    const result = patch(entraUser, [
      { op: "Replace", path: "active", value: "False" },
      { op: "Replace", path: "active", value: "True" },
    ]);
    expect(result.rewrites.filter((r) => r === "opCase")).toHaveLength(1);
  });
});
