// Fixtures and expectation tables for the in-memory evaluator (evaluate.test.ts).
import { ENT } from "./parse.cases";

export const barbara: Record<string, unknown> = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
  id: "2819c223-7f76-453a-919d-413861904646",
  externalId: "Bjensen-EXT",
  userName: "BJensen@Example.com",
  displayName: "Ünïcode Barbara",
  active: true,
  title: "",
  name: { givenName: "Barbara", familyName: "Jensen" },
  emails: [
    { value: "bjensen@example.com", type: "work", primary: true },
    { value: "babs@jensen.org", type: "home" },
  ],
  phoneNumbers: [],
  groups: [{ value: "g1", display: "Sales Team", type: "direct" }],
  meta: { resourceType: "User", created: "2026-01-01T00:00:00.000Z", lastModified: "2026-06-15T12:30:00.250Z" },
  [ENT]: { department: "Sales", employeeNumber: "701984", manager: { value: "26118915-6090-4610-87e4-49d8ca9f808d" } },
};

export const group: Record<string, unknown> = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
  id: "g1",
  displayName: "Sales Team",
  members: [
    { value: "2819c223-7f76-453a-919d-413861904646", type: "User", display: "Babs" },
    { value: "g2", type: "Group" },
  ],
  meta: { resourceType: "Group", created: "2026-01-01T00:00:00.000Z", lastModified: "2026-01-01T00:00:00.000Z" },
};

/** [filter, expected] against barbara. */
export const userCases: [string, boolean][] = [
  // caseExact: userName / displayName / emails.value fold case; id / externalId do not.
  ['userName eq "bjensen@example.com"', true],
  ['USERNAME eq "BJENSEN@EXAMPLE.COM"', true],
  ['userName eq "bjensen"', false],
  ['externalId eq "Bjensen-EXT"', true],
  ['externalId eq "bjensen-ext"', false],
  ["externalId eq Bjensen-EXT", true], // Entra tutorial: a bare value
  ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
  ['displayName eq "üNÏCODE barbara"', true], // displayName folds fully (its column is JS-lower-cased)
  ['name.givenName eq "BARBARA"', true],
  ['name.givenName eq "barbara"', true],
  ['emails.value eq "BJensen@example.com"', true],
  ['emails eq "babs@jensen.org"', true], // multi-valued without sub-attribute compares `value` (§3.4.2.2)
  ['emails.type eq "home"', true],
  // co / sw / ew.
  ['userName co "JENSEN@"', true],
  ['userName sw "bj"', true],
  ['userName ew ".COM"', true],
  ['userName ew "example"', false],
  ['name.familyName co ""', true],
  ['emails.value ew "@jensen.org"', true],
  // pr: absent, null, "" and [] are not present.
  ["title pr", false],
  ["nickName pr", false],
  ["phoneNumbers pr", false],
  ["emails pr", true],
  ["name pr", true],
  ["name.middleName pr", false],
  ["emails.display pr", false],
  ["groups pr", true],
  // ne / not with missing attributes.
  ['nickName ne "a"', true],
  ['not (nickName eq "a")', true],
  ['userName ne "bjensen@example.com"', false],
  ['emails.type ne "work"', false], // one element equals → ne is false
  ['emails.display ne "x"', true],
  ["nickName eq null", true],
  ["userName eq null", false],
  ["userName ne null", true],
  // Booleans.
  ["active eq true", true],
  ["active eq false", false],
  ['active eq "True"', true],
  ["emails[primary eq true].value sw \"bjensen\"", true],
  // Ordering: strings after folding, dateTimes as instants.
  ['userName gt "BJ"', true],
  ['userName lt "bj"', false],
  ['name.familyName ge "jensen"', true],
  ['name.familyName le "JENSEM"', false],
  ['meta.created ge "2026-01-01T00:00:00Z"', true],
  ['meta.created gt "2026-01-01T00:00:00Z"', false],
  ['meta.lastModified gt "2026-06-15T13:30:00.000+01:00"', true], // same instant as 12:30:00.000Z, +250 ms
  ['meta.lastModified eq "2026-06-15T12:30:00.25Z"', true],
  ['meta.lastModified lt "2027-01-01"', true],
  ['meta.resourceType eq "User"', true],
  // Value paths: all conditions on the SAME element.
  ['emails[type eq "work" and value co "example.com"]', true],
  ['emails[type eq "home" and value co "example.com"]', false],
  ['emails[type eq "work"].value eq "bjensen@example.com"', true], // Entra: a value path with a sub-attribute
  ['emails[type eq "home"].value eq "bjensen@example.com"', false],
  ['emails[not (type eq "work")]', true],
  ["emails[display pr]", false],
  ['name[givenName eq "barbara"]', true],
  ['groups[value eq "g1"]', true],
  ['groups.display eq "sales team"', true],
  // Extension attributes, URN-qualified or not.
  [`${ENT}:department eq "sales"`, true],
  [`${ENT}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
  [`${ENT}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true], // complex with `value` compares it
  ['id eq "2819c223-7f76-453a-919d-413861904646" and manager eq "26118915-6090-4610-87e4-49d8ca9f808d"', true], // Entra: the manager check
  ['department eq "SALES"', true], // unqualified extension attribute
  [`${ENT}.department eq "Sales"`, true], // Entra: the legacy dot before an extension attribute
  [`${ENT}:costCenter pr`, false],
  // Logic.
  ['userName eq "x" or active eq true', true],
  ['userName eq "x" or active eq true and title pr', false],
  ['(userName eq "x" or active eq true) and not (title pr)', true],
];

/** [filter, expected] against group. */
export const groupCases: [string, boolean][] = [
  ['displayName eq "SALES TEAM"', true],
  ['members[value eq "g2"]', true],
  ['members.value eq "2819C223-7F76-453A-919D-413861904646"', false], // members.value is caseExact
  ['members[type eq "group" and value eq "g2"]', true],
  ['members[type eq "User" and value eq "g2"]', false],
  ["members pr", true],
  ['meta.resourceType eq "Group"', true],
];

/** [type, filter, detail fragment]: invalidFilter errors. */
export const errorCases: ["User" | "Group", string, string][] = [
  ["User", 'nosuch eq "x"', 'unknown attribute "nosuch"'],
  ["User", 'name.nosuch eq "x"', 'unknown attribute "name.nosuch"'],
  ["User", 'urn:example:x:attr eq "x"', 'unknown attribute "urn:example:x:attr"'],
  ["Group", 'userName eq "x"', 'unknown attribute "userName"'],
  ["User", 'active co "t"', '"co" needs a string attribute; active is boolean'],
  ["User", "active gt true", '"gt" is not defined for boolean attribute active'],
  ["User", 'meta.created sw "2026"', '"sw" needs a string attribute; created is dateTime'],
  ["User", 'meta.created gt "yesterday"', "created is a dateTime; compare it with an ISO 8601 string"],
  ["User", "active eq 1", "active is boolean; compare it with true or false"],
  ["User", 'name eq "x"', '"name" is complex; compare one of its sub-attributes'],
  ["User", "title gt null", '"gt" cannot compare with null'],
  ["User", 'emails[nosuch eq "x"]', 'unknown attribute "emails.nosuch"'],
  ["User", 'emails[type[value eq "x"]]', "value filters cannot nest"],
  ["User", 'userName[value eq "x"]', '"userName" cannot take a value filter'],
  ["User", 'meta.location eq "x"', "cannot be filtered on"],
  ["User", "meta pr", "cannot be filtered on"],
  ["Group", 'members[display eq "x"]', '"members.display" cannot be filtered on'],
  ["User", 'groups.type eq "direct"', "cannot be filtered on"],
];
