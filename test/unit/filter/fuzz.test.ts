// Property tests of the parser: random text and token soups only ever fail with 400
// invalidFilter / invalidPath, and every generated AST printed to text re-parses to itself.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimError } from "../../../src/scim/errors";
import type { AttributePath, CompareOperator, FilterNode, FilterValue } from "../../../src/scim/filter/ast";
import { matchesFilter } from "../../../src/scim/filter/evaluate";
import { parseFilter, parsePatchPath } from "../../../src/scim/filter/parser";
import { ENT } from "./parse.cases";
import { printFilter } from "./print.cases";

/** Runs `run`; any throw other than ScimError(400, scimType) fails the property. */
function onlyScimErrors(scimType: string, run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof ScimError)) throw err;
    expect([err.status, err.scimType]).toEqual([400, scimType]);
  }
}

const TOKENS = [
  "(", ")", "[", "]", '"', '"x"', '"a\\"b"', "\\", "and", "or", "not", "AND", "Not", "eq", "ne", "co", "sw", "ew", "gt", "ge",
  "lt", "le", "pr", "true", "false", "null", "42", "-1.5e3", "1e999", "userName", "emails", "emails.value", ".value", "name.familyName",
  `${ENT}:manager.value`, `${ENT}.department`, ENT, "urn:", ":", ".", "..", "$ref", "members", "é", "☃", "\u0000", "{", "&", " ",
];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((t) => t.join(" "));
const tightSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((t) => t.join(""));
const anyText = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "binary", maxLength: 80 }), tokenSoup, tightSoup);

const SAMPLE_USER = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  id: "u1",
  userName: "Bjensen",
  active: true,
  name: { givenName: "Barbara" },
  emails: [{ value: "b@example.com", type: "work", primary: true }],
  meta: { resourceType: "User", created: "2026-01-01T00:00:00.000Z", lastModified: "2026-01-02T00:00:00.000Z" },
  [ENT]: { department: "Sales", manager: { value: "u0" } },
};

describe("parser fuzz", () => {
  it("random strings and token soups only fail with 400 invalidFilter", { timeout: 120_000 }, () => {
    fc.assert(fc.property(anyText, (text) => onlyScimErrors("invalidFilter", () => parseFilter(text))), { numRuns: 3000, seed: 3000 });
  });

  it("random PATCH paths only fail with 400 invalidPath", { timeout: 120_000 }, () => {
    const paths = fc.oneof(anyText, anyText.map((t) => `emails[${t}]`), anyText.map((t) => `emails[type eq "w"]${t}`));
    fc.assert(fc.property(paths, (text) => onlyScimErrors("invalidPath", () => parsePatchPath(text))), { numRuns: 2000, seed: 2000 });
  });

  it("whatever parses evaluates against a User, or fails with 400 invalidFilter", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(anyText, (text) =>
        onlyScimErrors("invalidFilter", () => matchesFilter(parseFilter(text), SAMPLE_USER, "User")),
      ),
      { numRuns: 2000, seed: 2001 },
    );
  });
});

// ---- Round trip: AST → text → AST ----

const name = fc.stringMatching(/^[A-Za-z$][\w$-]{0,8}$/).filter((n) => n.toLowerCase() !== "not");
const attributePath: fc.Arbitrary<AttributePath> = fc.record(
  { urn: fc.constantFrom(ENT, "urn:ietf:params:scim:schemas:core:2.0:User"), attribute: name, subAttribute: name },
  { requiredKeys: ["attribute"] },
);
const simplePath: fc.Arbitrary<AttributePath> = fc.record({ attribute: name });
const value: fc.Arbitrary<FilterValue> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.integer({ min: -1e9, max: 1e9 }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.boolean(),
  fc.constant(null),
);
const op = fc.constantFrom<CompareOperator>("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le");

function filterArb(pathArb: fc.Arbitrary<AttributePath>, allowValuePath: boolean): fc.Arbitrary<FilterNode> {
  return fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof<fc.Arbitrary<FilterNode>[]>(
      { depthSize: "small", withCrossShrink: true },
      fc.record({ kind: fc.constant("compare" as const), path: pathArb, op, value }),
      fc.record({ kind: fc.constant("present" as const), path: pathArb }),
      fc.record({ kind: fc.constant("and" as const), left: tie("node"), right: tie("node") }),
      fc.record({ kind: fc.constant("or" as const), left: tie("node"), right: tie("node") }),
      fc.record({ kind: fc.constant("not" as const), filter: tie("node") }),
      ...(allowValuePath
        ? [fc.record({ kind: fc.constant("valuePath" as const), path: simplePath, filter: filterArb(simplePath, false) })]
        : []),
    ),
  })).node;
}

describe("round trip", () => {
  it("a printed AST re-parses to the same AST", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(filterArb(attributePath, true), (ast) => {
        const text = printFilter(ast);
        if (text.length > 4096) return; // beyond the length limit by construction
        try {
          expect(parseFilter(text)).toEqual(ast);
        } catch (err) {
          // Only the documented limits may refuse a generated filter.
          if (!(err instanceof ScimError && /more than 50 comparisons|deeper than 32/.test(err.detail))) throw err;
        }
      }),
      { numRuns: 1500, seed: 1500 },
    );
  });
});
