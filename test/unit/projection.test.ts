// projectResource / isAttributeRequested / parseAttributeList: RFC 7644 §3.4.2.5 with RFC 7643 §7 `returned`.
import { describe, expect, it } from "vitest";
import { isAttributeRequested, parseAttributeList, projectResource, type ProjectionParams } from "../../src/scim/projection";
import { ENTERPRISE_USER_SCHEMA as ENT, GROUP_SCHEMA, USER_SCHEMA } from "../../src/scim/urns";

const meta = { resourceType: "User", created: "2026-11-29T01:02:03.456Z", lastModified: "2026-11-29T01:02:03.456Z", location: "https://h/scim/v2/Users/u1", version: 'W/"1"' };
const userResource = {
  schemas: [USER_SCHEMA, ENT],
  id: "u1",
  externalId: "ext-1",
  userName: "alice",
  name: { givenName: "Alice", familyName: "Smith" },
  emails: [
    { value: "a@x", type: "work", primary: true },
    { type: "home" },
  ],
  active: true,
  password: "should never leave",
  groups: [{ value: "g1", display: "G1" }],
  [ENT]: { department: "Sales", manager: { value: "m1", displayName: "Boss" } },
  meta,
};

const groupResource = {
  schemas: [GROUP_SCHEMA],
  id: "g1",
  displayName: "G1",
  members: [{ value: "u1", type: "User" }],
  meta: { ...meta, resourceType: "Group" },
};

const { password: _password, ...withoutPassword } = userResource;

describe("projectResource (User)", () => {
  const cases: { name: string; p: ProjectionParams; out: Record<string, unknown> }[] = [
    { name: "no parameters: default + always, never `never` (password)", p: {}, out: withoutPassword },
    {
      name: "attributes: only those plus id and schemas (always)",
      p: { attributes: ["userName"] },
      out: { schemas: userResource.schemas, id: "u1", userName: "alice" },
    },
    {
      name: "attributes are case-insensitive and keep the resource's key casing",
      p: { attributes: ["USERNAME", "Active"] },
      out: { schemas: userResource.schemas, id: "u1", userName: "alice", active: true },
    },
    {
      name: "attributes: sub-attribute of a complex attribute",
      p: { attributes: ["name.givenName"] },
      out: { schemas: userResource.schemas, id: "u1", name: { givenName: "Alice" } },
    },
    {
      name: "attributes: sub-attribute of a multi-valued attribute drops elements left empty",
      p: { attributes: ["emails.value"] },
      out: { schemas: userResource.schemas, id: "u1", emails: [{ value: "a@x" }] },
    },
    {
      name: "attributes: whole attribute wins over a sub-attribute of it",
      p: { attributes: ["name.givenName", "name"] },
      out: { schemas: userResource.schemas, id: "u1", name: userResource.name },
    },
    {
      name: "attributes: meta only when asked",
      p: { attributes: ["meta"] },
      out: { schemas: userResource.schemas, id: "u1", meta },
    },
    {
      name: "attributes: core URN-qualified name",
      p: { attributes: [`${USER_SCHEMA}:userName`] },
      out: { schemas: userResource.schemas, id: "u1", userName: "alice" },
    },
    {
      name: "attributes: URN-qualified extension attribute",
      p: { attributes: [`${ENT}:department`] },
      out: { schemas: userResource.schemas, id: "u1", [ENT]: { department: "Sales" } },
    },
    {
      name: "attributes: URN-qualified extension sub-attribute",
      p: { attributes: [`${ENT.toLowerCase()}:manager.value`] },
      out: { schemas: userResource.schemas, id: "u1", [ENT]: { manager: { value: "m1" } } },
    },
    {
      name: "attributes: a bare extension URN returns the whole extension",
      p: { attributes: [ENT] },
      out: { schemas: userResource.schemas, id: "u1", [ENT]: userResource[ENT] },
    },
    {
      name: "attributes: password is never returned even when asked",
      p: { attributes: ["password", "userName"] },
      out: { schemas: userResource.schemas, id: "u1", userName: "alice" },
    },
    {
      name: "attributes: unknown names are ignored (only always-returned remain)",
      p: { attributes: ["shoeSize", "urn:example:nothing:attr"] },
      out: { schemas: userResource.schemas, id: "u1" },
    },
    {
      name: "excludedAttributes removes default attributes",
      p: { excludedAttributes: ["emails", "groups", "meta", "externalId"] },
      out: (({ emails: _e, groups: _g, meta: _m, externalId: _x, ...rest }) => rest)(withoutPassword),
    },
    {
      name: "excludedAttributes cannot remove id (returned always) or schemas",
      p: { excludedAttributes: ["id", "schemas", "userName"] },
      out: (({ userName: _u, ...rest }) => rest)(withoutPassword),
    },
    {
      name: "excludedAttributes: a sub-attribute",
      p: { excludedAttributes: ["name.familyName", "emails.type"] },
      out: { ...withoutPassword, name: { givenName: "Alice" }, emails: [{ value: "a@x", primary: true }] },
    },
    {
      name: "excludedAttributes: an extension attribute; the extension disappears when empty",
      p: { excludedAttributes: [`${ENT}:department`, `${ENT}:manager`] },
      out: (({ [ENT]: _x, ...rest }) => rest)(withoutPassword),
    },
    {
      name: "excludedAttributes: a bare extension URN",
      p: { excludedAttributes: [ENT] },
      out: (({ [ENT]: _x, ...rest }) => rest)(withoutPassword),
    },
    {
      name: "excludedAttributes: unknown names are ignored",
      p: { excludedAttributes: ["nope", "name.nope"] },
      out: withoutPassword,
    },
  ];

  it.each(cases)("$name", ({ p, out }) => {
    expect(projectResource(userResource, "User", p)).toEqual(out);
  });

  it("does not modify its input", () => {
    const copy = structuredClone(userResource);
    projectResource(userResource, "User", { attributes: ["emails.value"] });
    expect(userResource).toEqual(copy);
  });
});

describe("projectResource (Group)", () => {
  it("excludedAttributes=members drops members", () => {
    const { members: _m, ...rest } = groupResource;
    expect(projectResource(groupResource, "Group", { excludedAttributes: ["members"] })).toEqual(rest);
  });
  it("attributes=displayName keeps id and schemas only besides it", () => {
    expect(projectResource(groupResource, "Group", { attributes: ["displayName"] })).toEqual({
      schemas: [GROUP_SCHEMA],
      id: "g1",
      displayName: "G1",
    });
  });
});

describe("isAttributeRequested", () => {
  const cases: { type: "User" | "Group"; p: ProjectionParams; attr: string; expected: boolean }[] = [
    { type: "Group", p: {}, attr: "members", expected: true },
    { type: "Group", p: { excludedAttributes: ["members"] }, attr: "members", expected: false },
    { type: "Group", p: { excludedAttributes: ["MEMBERS"] }, attr: "members", expected: false },
    { type: "Group", p: { attributes: ["displayName"] }, attr: "members", expected: false },
    { type: "Group", p: { attributes: ["members.value"] }, attr: "members", expected: true },
    { type: "Group", p: { excludedAttributes: ["members.display"] }, attr: "members", expected: true },
    { type: "Group", p: { attributes: [`${GROUP_SCHEMA}:members`] }, attr: "members", expected: true },
    { type: "User", p: {}, attr: "groups", expected: true },
    { type: "User", p: { attributes: ["userName"] }, attr: "groups", expected: false },
    { type: "User", p: { excludedAttributes: ["groups"] }, attr: "groups", expected: false },
    { type: "User", p: { attributes: ["password"] }, attr: "password", expected: false },
    { type: "User", p: { excludedAttributes: ["id"] }, attr: "id", expected: true },
    { type: "User", p: {}, attr: "noSuchThing", expected: false },
  ];
  it.each(cases)("$type $attr with $p → $expected", ({ type, p, attr, expected }) => {
    expect(isAttributeRequested(type, p, attr)).toBe(expected);
  });
});

describe("parseAttributeList", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    [" , ", undefined],
    ["userName", ["userName"]],
    [" userName , name.givenName,,emails ", ["userName", "name.givenName", "emails"]],
    [`${ENT}:department,${ENT}`, [`${ENT}:department`, ENT]],
  ])("%j → %j", (input, out) => {
    expect(parseAttributeList(input)).toEqual(out);
  });
});
