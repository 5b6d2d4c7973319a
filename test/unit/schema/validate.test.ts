// normalizeResource / normalizeAttributeValue: POST/PUT body checks against the schema definitions.
import { describe, expect, it } from "vitest";
import { ScimError } from "../../../src/scim/errors";
import type { Rewrite } from "../../../src/scim/compat/entra";
import type { ResourceTypeName } from "../../../src/scim/schema/attribute";
import { findAttributeIn, schemasOf } from "../../../src/scim/schema/registry";
import { normalizeAttributeValue, normalizeResource } from "../../../src/scim/schema/validate";
import { ENTERPRISE_USER_SCHEMA as ENT, USER_SCHEMA } from "../../../src/scim/urns";

const user = (extra: Record<string, unknown>) => ({ userName: "alice@example.com", ...extra });
const create = (input: unknown, type: ResourceTypeName = "User") => normalizeResource(input, type, { mode: "create" });

function scimErrorOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return { status: err.status, scimType: err.scimType, detail: err.detail };
    throw err;
  }
  throw new Error("expected a ScimError");
}

describe("normalizeResource: accepted shapes", () => {
  const cases: { name: string; input: Record<string, unknown>; type?: ResourceTypeName; doc: Record<string, unknown>; rewrites?: string[] }[] = [
    {
      name: "keys are matched case-insensitively and written in canonical casing",
      input: { USERNAME: "a", DisplayName: "A", NAME: { GIVENNAME: "g" }, ExternalID: "x1" },
      doc: { userName: "a", displayName: "A", name: { givenName: "g" }, externalId: "x1" },
    },
    {
      name: "null values and empty arrays are dropped",
      input: user({ addresses: null, displayName: null, emails: [], name: { givenName: null, familyName: "F" } }),
      doc: { userName: "alice@example.com", name: { familyName: "F" } },
    },
    {
      name: "unknown attributes and unknown sub-attributes are ignored",
      input: user({ favouriteColour: "blue", name: { givenName: "g", shoeSize: 44 } }),
      doc: { userName: "alice@example.com", name: { givenName: "g" } },
    },
    {
      name: "schemas is neither required nor checked, and never stored",
      input: user({ schemas: ["urn:bogus", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"] }),
      doc: { userName: "alice@example.com" },
    },
    {
      name: "RFC 7644 §3.3: readOnly id, meta, groups are ignored; writeOnly password is not stored",
      input: user({ id: "mine", meta: { resourceType: "User" }, groups: [{ value: "g1" }], password: "s3cret!" }),
      doc: { userName: "alice@example.com" },
    },
    {
      name: "strings are stored exactly as sent",
      input: user({ userName: "  Alice@Example.COM ", displayName: " Ünïcode  name " }),
      doc: { userName: "  Alice@Example.COM ", displayName: " Ünïcode  name " },
    },
    {
      name: "boolean strings are coerced (active, primary)",
      input: user({ active: "False", emails: [{ value: "a@x", primary: "true" }] }),
      doc: { userName: "alice@example.com", active: false, emails: [{ value: "a@x", primary: true }] },
      rewrites: ["booleanString"],
    },
    {
      name: "a single object for a multi-valued attribute is wrapped in an array",
      input: user({ emails: { value: "a@x", type: "work" } }),
      doc: { userName: "alice@example.com", emails: [{ value: "a@x", type: "work" }] },
      rewrites: ["singleValueWrapped"],
    },
    {
      name: "extension object under its URN key (any case), without the URN in schemas",
      input: user({ [ENT.toUpperCase()]: { Department: "Sales", manager: { value: "m1", displayName: "ignored" } } }),
      doc: { userName: "alice@example.com", [ENT]: { department: "Sales", manager: { value: "m1" } } },
    },
    {
      name: "extension attributes as top-level URN-qualified keys are merged",
      input: user({ [`${ENT}:department`]: "Sales", [ENT]: { costCenter: "42" } }),
      doc: { userName: "alice@example.com", [ENT]: { department: "Sales", costCenter: "42" } },
      rewrites: ["urnQualifiedKey"],
    },
    {
      name: "legacy dot separator before an extension attribute",
      input: user({ [`${ENT}.division`]: "D" }),
      doc: { userName: "alice@example.com", [ENT]: { division: "D" } },
      rewrites: ["legacyExtensionDot"],
    },
    {
      name: "core attributes may be URN-qualified",
      input: { [`${USER_SCHEMA}:userName`]: "q", [`${USER_SCHEMA}:title`]: "T" },
      doc: { userName: "q", title: "T" },
    },
    {
      name: "null extension object and null extension attributes are dropped",
      input: user({ [ENT]: { department: null, manager: null } }),
      doc: { userName: "alice@example.com" },
    },
    {
      name: "manager as a bare string id becomes {value}",
      input: user({ [ENT]: { manager: "271" } }),
      doc: { userName: "alice@example.com", [ENT]: { manager: { value: "271" } } },
      rewrites: ["managerBareString"],
    },
    {
      name: "manager as a one-element array becomes an object",
      input: user({ [ENT]: { manager: [{ value: "271", $ref: "https://h/scim/v2/Users/271" }] } }),
      doc: { userName: "alice@example.com", [ENT]: { manager: { value: "271", $ref: "https://h/scim/v2/Users/271" } } },
      rewrites: ["managerArray"],
    },
    {
      name: "manager as an empty string clears it",
      input: user({ [ENT]: { manager: "" } }),
      doc: { userName: "alice@example.com" },
      // "" clears on every write path, for every attribute: not a manager shape, so not counted.
      rewrites: [],
    },
    {
      name: "reference and binary values are strings kept as sent",
      input: user({ profileUrl: "https://p", x509Certificates: [{ value: "MIIB" }] }),
      doc: { userName: "alice@example.com", profileUrl: "https://p", x509Certificates: [{ value: "MIIB" }] },
    },
    {
      name: "one primary among several values is fine",
      input: user({ emails: [{ value: "a", primary: true }, { value: "b", primary: false }, { value: "c" }] }),
      doc: { userName: "alice@example.com", emails: [{ value: "a", primary: true }, { value: "b", primary: false }, { value: "c" }] },
    },
    {
      name: "Group displayName kept; members returned separately, not in doc",
      type: "Group",
      input: { displayName: "G", externalId: "e", members: [{ value: "u1", $ref: null }, { value: "g2", type: "group" }] },
      doc: { displayName: "G", externalId: "e" },
    },
  ];

  it.each(cases)("$name", ({ input, type, doc, rewrites }) => {
    const out = create(input, type ?? "User");
    expect(out.doc).toEqual(doc);
    expect(out.rewrites.sort()).toEqual((rewrites ?? []).sort());
  });

  it("Group members: value required, type canonicalised, $ref null tolerated", () => {
    const out = create({ displayName: "G", members: [{ value: "u1", $ref: null }, { value: "g2", type: "group" }] }, "Group");
    expect(out.members).toEqual([{ value: "u1" }, { value: "g2", type: "Group" }]);
  });

  it("Group without members has no members list (not an empty replace)", () => {
    expect(create({ displayName: "G" }, "Group").members).toBeUndefined();
    expect(create({ displayName: "G", members: [] }, "Group").members).toEqual([]);
  });

  it("replace mode applies the same rules", () => {
    expect(normalizeResource(user({ id: "x", active: "True" }), "User", { mode: "replace" })).toEqual({
      doc: { userName: "alice@example.com", active: true },
      rewrites: ["booleanString"],
    });
  });

  it("each rewrite is recorded once", () => {
    expect(create(user({ active: "true", emails: [{ value: "a", primary: "false" }] })).rewrites).toEqual(["booleanString"]);
  });
});

describe("normalizeResource: rejected input (400, never 500)", () => {
  const cases: { name: string; input: unknown; type?: ResourceTypeName; scimType: string; detail: string }[] = [
    { name: "array body", input: [], scimType: "invalidSyntax", detail: "JSON object" },
    { name: "string body", input: "x", scimType: "invalidSyntax", detail: "JSON object" },
    { name: "null body", input: null, scimType: "invalidSyntax", detail: "JSON object" },
    { name: "missing userName", input: { displayName: "x" }, scimType: "invalidValue", detail: "userName is required" },
    { name: "empty userName", input: { userName: "" }, scimType: "invalidValue", detail: "userName is required" },
    { name: "null userName", input: { userName: null }, scimType: "invalidValue", detail: "userName is required" },
    { name: "missing Group displayName", input: { members: [] }, type: "Group", scimType: "invalidValue", detail: "displayName is required" },
    { name: "userName not a string", input: { userName: 5 }, scimType: "invalidValue", detail: "userName must be a string" },
    { name: "active not a boolean", input: user({ active: "yes" }), scimType: "invalidValue", detail: "active must be a boolean" },
    {
      name: "sub-attribute type named with index",
      input: user({ emails: [{ value: "a" }, { value: "b", primary: 1 }] }),
      scimType: "invalidValue",
      detail: "emails[1].primary must be a boolean",
    },
    { name: "complex given as string", input: user({ name: "Alice" }), scimType: "invalidValue", detail: "name must be an object" },
    { name: "multi-valued element not an object", input: user({ emails: ["a@x"] }), scimType: "invalidValue", detail: "emails[0] must be an object" },
    {
      name: "RFC 7643 §2.4: two primary values",
      input: user({ emails: [{ value: "a", primary: true }, { value: "b", primary: "True" }] }),
      scimType: "invalidValue",
      detail: "at most one value may be primary",
    },
    { name: "extension not an object", input: user({ [ENT]: "Sales" }), scimType: "invalidValue", detail: `${ENT} must be an object` },
    {
      name: "extension attribute wrong type",
      input: user({ [ENT]: { department: 7 } }),
      scimType: "invalidValue",
      detail: `${ENT}:department must be a string`,
    },
    {
      name: "manager array with two elements",
      input: user({ [ENT]: { manager: [{ value: "a" }, { value: "b" }] } }),
      scimType: "invalidValue",
      detail: "manager must be an object",
    },
    { name: "member without value", input: { displayName: "G", members: [{ type: "User" }] }, type: "Group", scimType: "invalidValue", detail: "members[0].value" },
    {
      name: "member with bad type",
      input: { displayName: "G", members: [{ value: "u", type: "Device" }] },
      type: "Group",
      scimType: "invalidValue",
      detail: "members[0].type",
    },
    { name: "externalId not a string", input: user({ externalId: 12 }), scimType: "invalidValue", detail: "externalId must be a string" },
  ];

  it.each(cases)("$name", ({ input, type, scimType, detail }) => {
    const err = scimErrorOf(() => create(input, type ?? "User"));
    expect(err).toMatchObject({ status: 400, scimType });
    expect(err.detail).toContain(detail);
  });
});

describe("normalizeAttributeValue (shared with PATCH)", () => {
  const def = (name: string, urn?: string) => {
    const { core, extensions } = schemasOf("User");
    const attrs = urn ? extensions.find((e) => e.id === urn)!.attributes : core.attributes;
    return findAttributeIn(attrs, name)!;
  };
  const cases: { name: string; attr: string; value: unknown; out: unknown; rewrites?: string[] }[] = [
    { name: "string kept", attr: "displayName", value: "x ", out: "x " },
    { name: "null drops", attr: "displayName", value: null, out: undefined },
    { name: "boolean string", attr: "active", value: "TRUE", out: true, rewrites: ["booleanString"] },
    { name: "empty string for a boolean drops", attr: "active", value: "", out: undefined },
    { name: "empty array drops", attr: "emails", value: [], out: undefined },
    { name: "null elements dropped", attr: "emails", value: [null, { value: "a" }], out: [{ value: "a" }] },
    { name: "single object wrapped", attr: "phoneNumbers", value: { value: "1" }, out: [{ value: "1" }], rewrites: ["singleValueWrapped"] },
    { name: "complex with only nulls drops", attr: "name", value: { givenName: null }, out: undefined },
  ];
  it.each(cases)("$name", ({ attr, value, out, rewrites }) => {
    const seen: Rewrite[] = [];
    expect(normalizeAttributeValue(def(attr), value, attr, seen)).toEqual(out);
    expect(seen).toEqual(rewrites ?? []);
  });

  it("dateTime must parse as ISO 8601", () => {
    const dt = { ...def("displayName"), name: "when", type: "dateTime" as const };
    expect(normalizeAttributeValue(dt, "2026-11-29T01:02:03.456Z", "when", [])).toBe("2026-11-29T01:02:03.456Z");
    expect(scimErrorOf(() => normalizeAttributeValue(dt, "yesterday", "when", []))).toEqual({
      status: 400,
      scimType: "invalidValue",
      detail: "when must be an ISO 8601 dateTime",
    });
  });

  it("integer and decimal check numbers", () => {
    const int = { ...def("displayName"), name: "n", type: "integer" as const };
    const dec = { ...def("displayName"), name: "d", type: "decimal" as const };
    expect(normalizeAttributeValue(int, 3, "n", [])).toBe(3);
    expect(normalizeAttributeValue(dec, 3.5, "d", [])).toBe(3.5);
    expect(scimErrorOf(() => normalizeAttributeValue(int, 3.5, "n", [])).detail).toBe("n must be an integer");
    expect(scimErrorOf(() => normalizeAttributeValue(dec, "3", "d", [])).detail).toBe("d must be a number");
  });

  it("readOnly sub-attributes are dropped unless kept", () => {
    const manager = def("manager", ENT);
    expect(normalizeAttributeValue(manager, { value: "m", displayName: "M" }, "manager", [])).toEqual({ value: "m" });
    expect(normalizeAttributeValue(manager, { value: "m", displayName: "M" }, "manager", [], { keepReadOnly: true })).toEqual({
      value: "m",
      displayName: "M",
    });
  });
});
