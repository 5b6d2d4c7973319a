// Entra's non-RFC PATCH shapes → whole expected stored User and the
// rewrite names that must be reported. Ids in the names are the checklist's.
import { ENT } from "./support";
import type { ApplyCase } from "./apply.cases";

export const entraUser = {
  userName: "shapes@example.com",
  active: true,
  emails: [{ type: "other", value: "o@example.com" }],
};

export interface EntraCase extends ApplyCase {
  rewrites: string[];
}

const roleJson = '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}';

export const entraCases: EntraCase[] = [
  {
    name: "op names in any case (opCase)",
    ops: [
      { op: "Replace", path: "displayName", value: "A" },
      { op: "ADD", path: "title", value: "T" },
    ],
    expect: { ...entraUser, displayName: "A", title: "T" },
    rewrites: ["opCase"],
  },
  {
    name: "path-less replace with dotted and URN-qualified keys is nested (pathlessDottedKeys, pathlessUrnKeys)",
    ops: [
      {
        op: "replace",
        value: { displayName: "Bjfe", "name.givenName": "Kkom", "name.familyName": "Unua", [`${ENT}:employeeNumber`]: "Aklq" },
      },
    ],
    expect: { ...entraUser, displayName: "Bjfe", name: { givenName: "Kkom", familyName: "Unua" }, [ENT]: { employeeNumber: "Aklq" } },
    rewrites: ["pathlessDottedKeys", "pathlessUrnKeys"],
  },
  {
    name: "path-less add with name.formatted, title, active string and the manager URN key",
    ops: [{ op: "add", value: { "name.formatted": "F L", title: "CEO", active: "False", [`${ENT}:manager`]: "m-1" } }],
    expect: { ...entraUser, active: false, title: "CEO", name: { formatted: "F L" }, [ENT]: { manager: { value: "m-1" } } },
    rewrites: ["pathlessDottedKeys", "pathlessUrnKeys", "booleanString", "managerBareString"],
  },
  {
    name: "add on a filtered path with no match creates the element; later ops merge into it (addToMissingFilteredElement)",
    ops: [
      { op: "Add", path: 'emails[type eq "work"].value', value: "w@example.com" },
      { op: "Add", path: 'emails[type eq "work"].primary', value: true },
      { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0100" },
    ],
    expect: {
      ...entraUser,
      emails: [{ type: "other", value: "o@example.com" }, { type: "work", value: "w@example.com", primary: true }],
      phoneNumbers: [{ type: "mobile", value: "+1 555 0100" }],
    },
    rewrites: ["addToMissingFilteredElement"],
  },
  {
    name: "replace on addresses[type eq \"work\"] sub-attributes creates one work address",
    ops: [
      { op: "Replace", path: 'addresses[type eq "work"].streetAddress', value: "1 Main St" },
      { op: "Replace", path: 'addresses[type eq "work"].locality', value: "Springfield" },
      { op: "Replace", path: 'addresses[type eq "other"].formatted', value: "PO Box 1" },
    ],
    expect: {
      ...entraUser,
      addresses: [
        { type: "work", streetAddress: "1 Main St", locality: "Springfield" },
        { type: "other", formatted: "PO Box 1" },
      ],
    },
    rewrites: ["addToMissingFilteredElement"],
  },
  {
    name: "a created element takes every and-ed eq pair of the filter",
    ops: [{ op: "add", path: 'phoneNumbers[type eq "fax" and primary eq true].value', value: "9" }],
    expect: { ...entraUser, phoneNumbers: [{ type: "fax", primary: true, value: "9" }] },
    rewrites: ["addToMissingFilteredElement"],
  },
  {
    name: "legacy dot before an extension attribute (legacyExtensionDot)",
    ops: [
      { op: "Add", path: `${ENT}:department`, value: "Sales" },
      { op: "Replace", path: `${ENT}.costCenter`, value: "CC-1" },
    ],
    expect: { ...entraUser, [ENT]: { department: "Sales", costCenter: "CC-1" } },
    rewrites: ["legacyExtensionDot"],
  },
  {
    name: "legacy dot before manager, with a bare id string",
    ops: [{ op: "Add", path: `${ENT}.manager`, value: "m-3" }],
    expect: { ...entraUser, [ENT]: { manager: { value: "m-3" } } },
    rewrites: ["legacyExtensionDot", "managerBareString"],
  },
  {
    name: "Remove on path manager without URN clears it",
    resource: { ...entraUser, [ENT]: { manager: { value: "m-1" }, department: "D" } },
    ops: [{ op: "Remove", path: "manager" }],
    expect: { ...entraUser, [ENT]: { department: "D" } },
    rewrites: ["managerPathWithoutUrn"],
  },
  {
    name: "manager as a bare id string (managerBareString)",
    ops: [{ op: "Add", path: `${ENT}:manager`, value: "271" }],
    expect: { ...entraUser, [ENT]: { manager: { value: "271" } } },
    rewrites: ["managerBareString"],
  },
  {
    name: "path manager without URN with [{$ref, value}] (managerPathWithoutUrn, managerArray)",
    ops: [{ op: "Add", path: "manager", value: [{ $ref: "https://x/scim/Users/m-2", value: "m-2" }] }],
    expect: { ...entraUser, [ENT]: { manager: { $ref: "https://x/scim/Users/m-2", value: "m-2" } } },
    rewrites: ["managerPathWithoutUrn", "managerArray"],
  },
  {
    name: "manager change with Replace",
    resource: { ...entraUser, [ENT]: { manager: { value: "m-1" }, department: "D" } },
    ops: [{ op: "Replace", path: `${ENT}:manager`, value: "m-2" }],
    expect: { ...entraUser, [ENT]: { manager: { value: "m-2" }, department: "D" } },
    rewrites: ["managerBareString"],
  },
  ...(["", null] as const).map(
    (value): EntraCase => ({
      name: `manager cleared by Replace with ${JSON.stringify(value)}; the other extension attributes stay`,
      resource: { ...entraUser, [ENT]: { manager: { value: "m-1" }, department: "D" } },
      ops: [{ op: "Replace", path: `${ENT}:manager`, value }],
      expect: { ...entraUser, [ENT]: { department: "D" } },
      rewrites: [],
    }),
  ),
  {
    name: "manager cleared by Remove on the path; the empty extension object goes too",
    resource: { ...entraUser, [ENT]: { manager: { value: "m-1" } } },
    ops: [{ op: "Remove", path: `${ENT}:manager` }],
    expect: entraUser,
    rewrites: ["opCase"],
  },
  {
    name: "manager.value path sets the manager id",
    ops: [{ op: "replace", path: `${ENT}:manager.value`, value: "m-9" }],
    expect: { ...entraUser, [ENT]: { manager: { value: "m-9" } } },
    rewrites: [],
  },
  ...(["False", "false", false] as const).map(
    (value): EntraCase => ({
      name: `disable with ${JSON.stringify(value)}`,
      ops: [{ op: "Replace", path: "active", value }],
      expect: { ...entraUser, active: false },
      rewrites: typeof value === "string" ? ["booleanString"] : [],
    }),
  ),
  {
    name: "enable with \"True\" (booleanString)",
    resource: { ...entraUser, active: false },
    ops: [{ op: "Replace", path: "active", value: "True" }],
    expect: entraUser,
    rewrites: ["booleanString"],
  },
  {
    name: "roles whose value is a JSON string become {value, display} (rolesJsonString)",
    ops: [{ op: "Add", path: "roles", value: [{ value: roleJson }] }],
    expect: { ...entraUser, roles: [{ value: "25", display: "Role1234" }] },
    rewrites: ["rolesJsonString"],
  },
  {
    name: "a role JSON string keeps primary/type of its element",
    ops: [{ op: "add", path: "roles", value: [{ primary: false, type: "WindowsAzureActiveDirectoryRole", value: roleJson }] }],
    expect: { ...entraUser, roles: [{ primary: false, type: "WindowsAzureActiveDirectoryRole", value: "25", display: "Role1234" }] },
    rewrites: ["rolesJsonString"],
  },
  {
    name: "roles with plain values are stored as sent",
    ops: [{ op: "add", path: "roles", value: [{ value: "Admin", primary: true, type: "WindowsAzureActiveDirectoryRole" }] }],
    expect: { ...entraUser, roles: [{ value: "Admin", primary: true, type: "WindowsAzureActiveDirectoryRole" }] },
    rewrites: [],
  },
  ...(["", null] as const).map(
    (value): EntraCase => ({
      name: `replace with ${JSON.stringify(value)} clears an optional attribute`,
      resource: { ...entraUser, title: "T", nickName: "N" },
      ops: [{ op: "Replace", path: "title", value }],
      expect: { ...entraUser, nickName: "N" },
      rewrites: [],
    }),
  ),
  {
    name: "replace with null on an absent attribute is a no-op",
    ops: [{ op: "Replace", path: "preferredLanguage", value: null }],
    expect: entraUser,
    changed: false,
    rewrites: [],
  },
  {
    name: "replace a filtered sub-attribute with \"\" clears it without creating anything",
    ops: [{ op: "Replace", path: 'emails[type eq "work"].value', value: "" }],
    expect: entraUser,
    changed: false,
    rewrites: [],
  },
  {
    name: "several single-valued replaces in one request, in order",
    ops: [
      { op: "Replace", path: "displayName", value: "D" },
      { op: "Replace", path: 'emails[type eq "work"].value', value: "w@x" },
      { op: "Replace", path: "name.givenName", value: "G" },
      { op: "Replace", path: "name.familyName", value: "F" },
      { op: "Replace", path: "externalId", value: "E" },
      { op: "Replace", path: `${ENT}:employeeNumber`, value: "7" },
      { op: "Replace", path: "preferredLanguage", value: "en-US" },
    ],
    expect: {
      ...entraUser,
      displayName: "D",
      emails: [{ type: "other", value: "o@example.com" }, { type: "work", value: "w@x" }],
      name: { givenName: "G", familyName: "F" },
      externalId: "E",
      preferredLanguage: "en-US",
      [ENT]: { employeeNumber: "7" },
    },
    rewrites: ["opCase", "addToMissingFilteredElement"],
  },
];
