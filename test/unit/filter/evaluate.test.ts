// Table-driven tests of the in-memory evaluator (matchesFilter, matchesElement, validateFilter).
import { describe, expect, it } from "vitest";
import { ScimError } from "../../../src/scim/errors";
import { matchesElement, matchesFilter, validateFilter } from "../../../src/scim/filter/evaluate";
import { parseFilter } from "../../../src/scim/filter/parser";
import { resolveAttribute } from "../../../src/scim/schema/registry";
import { barbara, errorCases, group, groupCases, userCases } from "./evaluate.cases";

function caught(run: () => unknown) {
  try {
    run();
  } catch (err) {
    if (!(err instanceof ScimError)) throw err;
    return { status: err.status, scimType: err.scimType, detail: err.detail };
  }
  throw new Error("expected a ScimError");
}

describe("matchesFilter", () => {
  it.each(userCases)("User: %s → %s", (text, expected) => {
    expect(matchesFilter(parseFilter(text), barbara, "User")).toBe(expected);
  });

  it.each(groupCases)("Group: %s → %s", (text, expected) => {
    expect(matchesFilter(parseFilter(text), group, "Group")).toBe(expected);
  });

  it("not(f) is the complement of f, also when attributes are missing", () => {
    for (const [text] of userCases) {
      const node = parseFilter(text);
      expect(matchesFilter({ kind: "not", filter: node }, barbara, "User")).toBe(!matchesFilter(node, barbara, "User"));
      expect(matchesFilter({ kind: "not", filter: node }, { id: "x" }, "User")).toBe(!matchesFilter(node, { id: "x" }, "User"));
    }
  });

  it.each(errorCases)("%s: %s → 400 invalidFilter", (type, text, detail) => {
    const resource = type === "User" ? barbara : group;
    const expected = { status: 400, scimType: "invalidFilter", detail: expect.stringContaining(detail) };
    expect(caught(() => matchesFilter(parseFilter(text), resource, type))).toEqual(expected);
    expect(caught(() => validateFilter(parseFilter(text), type))).toEqual(expected);
  });

  it("validateFilter accepts every filter of the tables", () => {
    for (const [text] of userCases) expect(() => validateFilter(parseFilter(text), "User")).not.toThrow();
    for (const [text] of groupCases) expect(() => validateFilter(parseFilter(text), "Group")).not.toThrow();
  });
});

describe("matchesElement (PATCH value filters)", () => {
  const emails = resolveAttribute("User", { attribute: "emails" })!.attribute;
  const members = resolveAttribute("Group", { attribute: "members" })!.attribute;
  const cases: [string, unknown, boolean][] = [
    ['type eq "work"', { value: "a@b.c", type: "work" }, true],
    ['type eq "WORK"', { value: "a@b.c", type: "work" }, true], // emails.type is not caseExact
    ['type eq "work"', { value: "a@b.c", type: "home" }, false],
    ['type eq "work"', { value: "a@b.c" }, false],
    ['TYPE eq "work" and Value co "@B.C"', { value: "a@b.c", type: "work" }, true],
    ["primary eq true", { value: "a", primary: true }, true],
    ["primary eq true", { value: "a" }, false],
    ["display pr", { value: "a", display: "" }, false],
    ['not (type eq "work")', { value: "a" }, true],
  ];
  it.each(cases)("emails element: %s on %j → %s", (text, element, expected) => {
    expect(matchesElement(parseFilter(text), element, emails)).toBe(expected);
  });

  it("members[value eq …] is caseExact and may look at any sub-attribute", () => {
    expect(matchesElement(parseFilter('value eq "AbC"'), { value: "AbC" }, members)).toBe(true);
    expect(matchesElement(parseFilter('value eq "abc"'), { value: "AbC" }, members)).toBe(false);
    expect(matchesElement(parseFilter('display eq "x"'), { value: "1", display: "X" }, members)).toBe(true);
  });

  it("rejects unknown sub-attributes with invalidFilter", () => {
    expect(caught(() => matchesElement(parseFilter('nosuch eq "x"'), { value: "a" }, emails))).toEqual({
      status: 400,
      scimType: "invalidFilter",
      detail: 'unknown attribute "emails.nosuch" in filter',
    });
  });
});
