// Property: whatever a client sends, parsing + applying either succeeds or throws a ScimError
// (a 4xx, never a 500), and the stored input is never mutated.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimError } from "../../../src/scim/errors";
import { applyPatch } from "../../../src/scim/patch/apply";
import { parsePatchRequest } from "../../../src/scim/patch/operations";
import type { ResourceTypeName } from "../../../src/scim/schema/attribute";
import { baseUser } from "./apply.cases";
import { deepFreeze, ENT } from "./support";

const paths = [
  "displayName", "userName", "active", "name", "name.givenName", "emails", "emails.value", 'emails[type eq "work"]',
  'emails[type eq "work"].value', 'emails[primary eq true].type', 'emails[value co "x" or not (type pr)]', 'addresses[type eq "home"].country',
  "roles", "manager", `${ENT}:manager`, `${ENT}.department`, ENT, "id", "meta", "groups", "members", 'members[value eq "u1"]',
  'members[type eq "User"]', "members.value", "password", "x509Certificates", "unknown", "emails[", "urn:x:y:2.0:Z", "name.", "",
];

const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom("", null, "True", "False", [], {}, [{ value: "u1" }], { value: "u1" }, [{ value: '{"value":"1","displayName":"R"}' }]),
  fc.dictionary(fc.constantFrom("displayName", "name.givenName", `${ENT}:department`, "members", "emails", "active", "id"), fc.jsonValue({ maxDepth: 2 })),
);

const operation = fc.record(
  { op: fc.constantFrom("add", "Replace", "remove", "move", 3), path: fc.constantFrom(...paths), value },
  { requiredKeys: ["op"] },
);

describe("applyPatch robustness", () => {
  it.each<[ResourceTypeName, Record<string, unknown>]>([
    ["User", baseUser],
    ["Group", { displayName: "G", externalId: "e" }],
  ])("%s: random operations never throw anything but ScimError and never mutate the input", { timeout: 120_000 }, (type, resource) => {
    const input = deepFreeze(structuredClone(resource));
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 6 }), (ops) => {
        try {
          const { operations } = parsePatchRequest({ Operations: ops });
          applyPatch(input, operations, type);
        } catch (err) {
          if (!(err instanceof ScimError) || err.status !== 400) throw err;
        }
        expect(input).toEqual(resource);
      }),
      { numRuns: 2000, seed: 20261201 },
    );
  });
});
