// Table of RFC 7644 §3.5.2 operation shapes on a stored User: input ops → whole expected
// document (so "the other entries stay untouched" is asserted too), or → the ScimError.
import type { ResourceTypeName } from "../../../src/scim/schema/attribute";
import { ENT, type ExpectedError } from "./support";

export const baseUser = {
  userName: "bjensen@example.com",
  externalId: "ext-1",
  name: { givenName: "Barbara", familyName: "Jensen" },
  displayName: "Babs",
  active: true,
  emails: [
    { value: "bj@work.example", type: "work", primary: true },
    { value: "bj@home.example", type: "home" },
  ],
  [ENT]: { department: "Sales" },
};

const [workEmail, homeEmail] = baseUser.emails;

export interface ApplyCase {
  name: string;
  type?: ResourceTypeName;
  resource?: Record<string, unknown>;
  ops: unknown[];
  /** The whole resulting stored document. */
  expect?: Record<string, unknown>;
  /** Defaults to true when `expect` is given. */
  changed?: boolean;
  error?: ExpectedError;
}

export const rfcCases: ApplyCase[] = [
  { name: "replace a simple attribute", ops: [{ op: "replace", path: "displayName", value: "Barb" }], expect: { ...baseUser, displayName: "Barb" } },
  { name: "add on a single-valued attribute sets it", ops: [{ op: "add", path: "nickName", value: "B" }], expect: { ...baseUser, nickName: "B" } },
  { name: "replace userName", ops: [{ op: "replace", path: "userName", value: "new@example.com" }], expect: { ...baseUser, userName: "new@example.com" } },
  { name: "replace externalId", ops: [{ op: "replace", path: "externalId", value: "ext-2" }], expect: { ...baseUser, externalId: "ext-2" } },
  {
    name: "replace a sub-attribute keeps its siblings",
    ops: [{ op: "replace", path: "name.familyName", value: "Smith" }],
    expect: { ...baseUser, name: { givenName: "Barbara", familyName: "Smith" } },
  },
  {
    name: "add a sub-attribute creates the complex attribute",
    resource: { userName: "u" },
    ops: [{ op: "add", path: "name.middleName", value: "Jane" }],
    expect: { userName: "u", name: { middleName: "Jane" } },
  },
  {
    name: "§3.5.2.3: replace on a complex attribute merges sub-attributes",
    ops: [{ op: "replace", path: "name", value: { givenName: "Babs", formatted: "Babs Jensen" } }],
    expect: { ...baseUser, name: { givenName: "Babs", familyName: "Jensen", formatted: "Babs Jensen" } },
  },
  {
    name: "attribute names are case-insensitive and stored canonically",
    ops: [
      { op: "replace", path: "DISPLAYNAME", value: "X" },
      { op: "replace", path: "Name.GivenName", value: "Y" },
    ],
    expect: { ...baseUser, displayName: "X", name: { givenName: "Y", familyName: "Jensen" } },
  },
  {
    name: "a core-URN-qualified path",
    ops: [{ op: "replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:title", value: "Dr" }],
    expect: { ...baseUser, title: "Dr" },
  },
  { name: "remove a single-valued attribute", ops: [{ op: "remove", path: "displayName" }], expect: (({ displayName: _d, ...rest }) => rest)(baseUser) },
  { name: "remove an absent attribute is a no-op", ops: [{ op: "remove", path: "title" }], expect: baseUser, changed: false },
  {
    name: "remove a sub-attribute; the last one removes the attribute",
    resource: { userName: "u", name: { givenName: "A" } },
    ops: [{ op: "remove", path: "name.givenName" }],
    expect: { userName: "u" },
  },
  {
    name: "add to a multi-valued attribute appends",
    ops: [{ op: "add", path: "emails", value: [{ value: "o@x", type: "other" }] }],
    expect: { ...baseUser, emails: [workEmail, homeEmail, { value: "o@x", type: "other" }] },
  },
  { name: "adding an existing element again is a no-op", ops: [{ op: "add", path: "emails", value: [homeEmail] }], expect: baseUser, changed: false },
  {
    name: "add with an existing canonical type replaces that element (type stays unique)",
    ops: [{ op: "add", path: "emails", value: [{ value: "new@work", type: "work" }] }],
    expect: { ...baseUser, emails: [{ value: "new@work", type: "work" }, homeEmail] },
  },
  {
    name: "RFC 7643 §2.4: a new primary value demotes the old primary",
    ops: [{ op: "add", path: "emails", value: [{ value: "o@x", type: "other", primary: "true" }] }],
    expect: { ...baseUser, emails: [{ ...workEmail, primary: false }, homeEmail, { value: "o@x", type: "other", primary: true }] },
  },
  {
    name: "replace on a multi-valued attribute replaces all values",
    ops: [{ op: "replace", path: "emails", value: [{ value: "only@x", type: "work" }] }],
    expect: { ...baseUser, emails: [{ value: "only@x", type: "work" }] },
  },
  { name: "remove a multi-valued attribute without filter removes all", ops: [{ op: "remove", path: "emails" }], expect: (({ emails: _e, ...rest }) => rest)(baseUser) },
  {
    name: "remove with a value array removes only the listed values (never wipes)",
    ops: [{ op: "remove", path: "emails", value: [{ value: "bj@home.example" }] }],
    expect: { ...baseUser, emails: [workEmail] },
  },
  {
    name: "replace a filtered sub-attribute updates in place; other values untouched",
    ops: [{ op: "replace", path: 'emails[type eq "work"].value', value: "x@y" }],
    expect: { ...baseUser, emails: [{ ...workEmail, value: "x@y" }, homeEmail] },
  },
  {
    name: "filter values compare case-insensitively for caseExact=false",
    ops: [{ op: "replace", path: 'emails[type eq "WORK"].display', value: "Work" }],
    expect: { ...baseUser, emails: [{ ...workEmail, display: "Work" }, homeEmail] },
  },
  {
    name: "replace a filtered element with an object substitutes it",
    ops: [{ op: "replace", path: 'emails[type eq "home"]', value: { value: "h2@x", type: "home" } }],
    expect: { ...baseUser, emails: [workEmail, { value: "h2@x", type: "home" }] },
  },
  {
    name: "add to a filtered element merges sub-attributes",
    ops: [{ op: "add", path: 'emails[type eq "home"]', value: { display: "Home" } }],
    expect: { ...baseUser, emails: [workEmail, { ...homeEmail, display: "Home" }] },
  },
  {
    name: "remove a filtered element",
    ops: [{ op: "remove", path: 'emails[type eq "home"]' }],
    expect: { ...baseUser, emails: [workEmail] },
  },
  {
    name: "remove a filtered sub-attribute",
    ops: [{ op: "remove", path: 'emails[type eq "work"].primary' }],
    expect: { ...baseUser, emails: [{ value: "bj@work.example", type: "work" }, homeEmail] },
  },
  {
    name: "removing the last element removes the attribute",
    resource: { userName: "u", emails: [{ value: "a@x", type: "work" }] },
    ops: [{ op: "remove", path: 'emails[value eq "a@x"]' }],
    expect: { userName: "u" },
  },
  {
    name: "a sub-attribute of a multi-valued attribute without filter applies to every value",
    ops: [{ op: "replace", path: "emails.display", value: "E" }],
    expect: { ...baseUser, emails: [{ ...workEmail, display: "E" }, { ...homeEmail, display: "E" }] },
  },
  {
    name: "an enterprise attribute by URN path",
    ops: [{ op: "add", path: `${ENT}:employeeNumber`, value: "42" }],
    expect: { ...baseUser, [ENT]: { department: "Sales", employeeNumber: "42" } },
  },
  {
    name: "an extension attribute on a user without the extension creates its object",
    resource: { userName: "u" },
    ops: [{ op: "replace", path: `${ENT}:costCenter`, value: "C1" }],
    expect: { userName: "u", [ENT]: { costCenter: "C1" } },
  },
  {
    name: "removing the last extension attribute removes the extension object",
    ops: [{ op: "remove", path: `${ENT}:department` }],
    expect: (({ [ENT]: _x, ...rest }) => rest)(baseUser),
  },
  {
    name: "a bare extension URN path replaces its attributes one by one",
    ops: [{ op: "replace", path: ENT, value: { costCenter: "C1", manager: { value: "m1" } } }],
    expect: { ...baseUser, [ENT]: { department: "Sales", costCenter: "C1", manager: { value: "m1" } } },
  },
  { name: "remove a bare extension URN path removes the extension", ops: [{ op: "remove", path: ENT }], expect: (({ [ENT]: _x, ...rest }) => rest)(baseUser) },
  {
    name: "path-less replace sets each attribute in the value",
    ops: [{ op: "replace", value: { displayName: "D", active: false, name: { givenName: "G" } } }],
    expect: { ...baseUser, displayName: "D", active: false, name: { givenName: "G", familyName: "Jensen" } },
  },
  {
    name: "path-less add with an extension object",
    ops: [{ op: "add", value: { [ENT]: { division: "EU" }, title: "T" } }],
    expect: { ...baseUser, title: "T", [ENT]: { department: "Sales", division: "EU" } },
  },
  {
    name: "path-less replace ignores readOnly and unknown keys (like POST/PUT), e.g. an echoed id",
    ops: [{ op: "replace", value: { id: "123", schemas: ["x"], meta: {}, fooBar: 1, displayName: "D" } }],
    expect: { ...baseUser, displayName: "D" },
  },
  {
    name: "each operation sees the result of the previous one",
    ops: [
      { op: "add", path: "emails", value: [{ value: "o@x", type: "other" }] },
      { op: "replace", path: 'emails[type eq "other"].display', value: "Other" },
      { op: "remove", path: 'emails[type eq "home"]' },
    ],
    expect: { ...baseUser, emails: [workEmail, { value: "o@x", type: "other", display: "Other" }] },
  },
  {
    name: "the password is never stored (changePassword unsupported)",
    ops: [{ op: "replace", path: "password", value: "s3cret" }],
    expect: baseUser,
    changed: false,
  },
  { name: "replace with the current value is a no-op", ops: [{ op: "replace", path: "displayName", value: "Babs" }], expect: baseUser, changed: false },
  {
    name: "path-less replace with the current values is a no-op",
    ops: [{ op: "Replace", value: { displayName: "Babs", active: "True", "name.givenName": "Barbara" } }],
    expect: baseUser,
    changed: false,
  },
  // An extension the tenant never declared is dropped like on POST/PUT (Entra sends them): no error, no change.
  { name: "an undeclared extension URN path is ignored", ops: [{ op: "add", path: "urn:example:ext:2.0:Thing", value: { a: "b" } }], expect: baseUser, changed: false },
  { name: "an undeclared extension attribute path is ignored", ops: [{ op: "replace", path: "urn:example:ext:2.0:Thing:floor", value: "3" }], expect: baseUser, changed: false },
];

export const rfcErrors: ApplyCase[] = [
  { name: "unknown attribute is invalidPath naming it", ops: [{ op: "replace", path: "fooBar", value: 1 }], error: { scimType: "invalidPath", detail: 'Operations[0]: unknown attribute "fooBar"' } },
  { name: "unknown sub-attribute is invalidPath", ops: [{ op: "add", path: "name.nick", value: "x" }], error: { scimType: "invalidPath", detail: 'unknown attribute "name.nick"' } },
  {
    name: "unknown sub-attribute after a filter is invalidPath",
    ops: [{ op: "add", path: 'emails[type eq "work"].foo', value: "x" }],
    error: { scimType: "invalidPath", detail: 'unknown attribute "emails.foo"' },
  },
  { name: "an unknown schema in RFC 7643's core namespace is invalidPath", ops: [{ op: "add", path: "urn:ietf:params:scim:schemas:core:2.0:Thing", value: {} }], error: { scimType: "invalidPath", detail: '"urn:ietf:params:scim:schemas:core:2.0:Thing"' } },
  { name: "malformed path is invalidPath", ops: [{ op: "add", path: 'emails[type eq "work"', value: "x" }], error: { scimType: "invalidPath", detail: 'missing "]"' } },
  { name: "a filter on a single-valued attribute is invalidPath", ops: [{ op: "replace", path: 'displayName[value eq "x"]', value: "y" }], error: { scimType: "invalidPath", detail: "not multi-valued" } },
  { name: "unknown attribute inside a value filter is invalidFilter", ops: [{ op: "replace", path: 'emails[foo eq "x"].value', value: "y" }], error: { scimType: "invalidFilter", detail: "emails.foo" } },
  { name: "readOnly id is mutability", ops: [{ op: "replace", path: "id", value: "x" }], error: { scimType: "mutability", detail: "id is readOnly" } },
  { name: "readOnly meta sub-attribute is mutability", ops: [{ op: "replace", path: "meta.lastModified", value: "2026-01-01T00:00:00Z" }], error: { scimType: "mutability", detail: "meta is readOnly" } },
  { name: "readOnly groups on a User is mutability", ops: [{ op: "add", path: "groups", value: [{ value: "g1" }] }], error: { scimType: "mutability", detail: "groups is readOnly" } },
  { name: "readOnly manager.displayName is mutability", ops: [{ op: "replace", path: `${ENT}:manager.displayName`, value: "M" }], error: { scimType: "mutability", detail: "manager.displayName is readOnly" } },
  { name: "RFC 7644 §3.5.2.2: remove of required userName is mutability", ops: [{ op: "remove", path: "userName" }], error: { scimType: "mutability", detail: "userName is required" } },
  { name: "clearing required userName with \"\" is mutability", ops: [{ op: "replace", path: "userName", value: "" }], error: { scimType: "mutability", detail: "userName is required" } },
  { name: "clearing required userName with null is mutability", ops: [{ op: "replace", path: "userName", value: null }], error: { scimType: "mutability", detail: "userName is required" } },
  { name: "a value of the wrong type is invalidValue", ops: [{ op: "replace", path: "active", value: "maybe" }], error: { scimType: "invalidValue", detail: "active must be a boolean" } },
  { name: "a non-string for a string attribute is invalidValue", ops: [{ op: "replace", path: "name.givenName", value: 7 }], error: { scimType: "invalidValue", detail: "must be a string" } },
  { name: "path-less add with a non-object value is invalidValue", ops: [{ op: "add", value: "x" }], error: { scimType: "invalidValue", detail: "needs an object value" } },
  {
    name: "RFC 7644 §3.12: remove with a filter that matches nothing is noTarget",
    ops: [{ op: "remove", path: 'emails[type eq "other"]' }],
    error: { scimType: "noTarget", detail: "no emails value matched the filter" },
  },
  {
    name: "replace with a non-eq filter that matches nothing is noTarget (nothing to create)",
    ops: [{ op: "replace", path: 'emails[value co "nobody"].display', value: "x" }],
    error: { scimType: "noTarget", detail: "no emails value matched the filter" },
  },
  {
    name: "RFC 7643 §2.4: two primary values in one replace is invalidValue",
    ops: [{ op: "replace", path: "emails", value: [{ value: "a@x", primary: true }, { value: "b@x", primary: true }] }],
    error: { scimType: "invalidValue", detail: "at most one value may be primary" },
  },
  {
    name: "the failing operation is named by its index",
    ops: [
      { op: "replace", path: "displayName", value: "ok" },
      { op: "replace", path: "title", value: "ok" },
      { op: "replace", path: "nope", value: "x" },
    ],
    error: { scimType: "invalidPath", detail: "Operations[2]: " },
  },
];
