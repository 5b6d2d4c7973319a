// Pure: the Device Hub naming rules (src/scim/hub-naming-rules.ts), the one module the SCIM-time
// check, the sync's parking reason and the emulator share. Table cases plus a seeded property.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { badEmailCharacters, badNameCharacters, describeViolation, hubNamingViolations } from "../../src/scim/hub-naming-rules";

describe("names", () => {
  it.each([
    ["Ada", []],
    ["Jean-Luc", []],
    ["St. John, Jr 3rd", []],
    ["Ångström Müller", []],
    ["Zoë Łukasz Дмитрий 김민수 محمد", []],
    ["Ann_Marie", ["_"]],
    ["O'Brien", ["'"]],
    ["a@b#c_d", ["@", "#", "_"]],
    ["Tab\there", ["\t"]],
    ["x__y", ["_"]],
    ["emoji 🙂", ["🙂"]],
  ])("%j → %j", (name, bad) => expect(badNameCharacters(name)).toEqual(bad));

  it("accepts a letter written with a combining mark (decomposed é)", () => expect(badNameCharacters("Rene\u0301e")).toEqual([]));
});

describe("email addresses", () => {
  it.each([
    ["ada@example.com", []],
    ["ada.lovelace+tag_1-x@mail.example.co.uk", []],
    ["a#b@example.com", ["#"]],
    ['a%b*c(d)e=f[g]h|i\\j"k;l:m<n>o,p?q/r@x', ["%", "*", "(", ")", "=", "[", "]", "|", "\\", '"', ";", ":", "<", ">", ",", "?", "/"]],
  ])("%j → %j", (email, bad) => expect(badEmailCharacters(email)).toEqual(bad));

  it("property: an email is refused exactly when it holds a banned character", () => {
    const banned = '#%*()=[]|\\";:<>,?/';
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => badEmailCharacters(s).length > 0 === [...s].some((c) => banned.includes(c))),
      { seed: 1701, numRuns: 500 },
    );
  }, 60_000);
});

describe("hubNamingViolations", () => {
  it("reports each bad field with its characters and rule, and ignores null or absent fields", () => {
    const found = hubNamingViolations({ givenName: "Ann_Marie", familyName: null, email: "ann,m@example.com" });
    expect(found).toEqual([
      { field: "givenName", value: "Ann_Marie", characters: ["_"], rule: expect.stringContaining("letters, digits, spaces") },
      { field: "email", value: "ann,m@example.com", characters: [","], rule: expect.stringContaining("may not contain") },
    ]);
    expect(hubNamingViolations({ givenName: "Ann, Marie", email: "ann@example.com" })).toEqual([]);
  });

  it("describes a violation in one sentence with the attribute label", () => {
    const [v] = hubNamingViolations({ familyName: "Smith_Jones" });
    expect(describeViolation(v!, "name.familyName")).toBe('name.familyName "Smith_Jones" contains "_"; names may contain only letters, digits, spaces and . , - (no underscore)');
    const [long] = hubNamingViolations({ givenName: `${"a".repeat(100)}_` });
    expect(describeViolation(long!)).toBe(`givenName "${"a".repeat(59)}…" contains "_"; names may contain only letters, digits, spaces and . , - (no underscore)`);
  });
});
