// Request bodies in the shapes Microsoft Entra ID sends (docs/entra.md; PATCH shapes U1–U12 of the
// compatibility notes): creates with the enterprise extension, PATCHes with filtered paths, no-path
// objects with dotted keys, "False"/"True" strings for active, members with "$ref": null.
// Names use letters only, so nothing the soak sends breaks the hub's naming rules.

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const CUSTOM_EXT = "urn:ietf:params:scim:schemas:extension:customextensionname:2.0:User";
const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const GIVEN = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Radia", "Linus", "Margaret", "Donald", "Frances", "Niklaus"];
const FAMILY = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Perlman", "Torvalds", "Hamilton", "Knuth", "Allen", "Wirth"];
const DEPARTMENTS = ["Sales", "Engineering", "Finance", "Facilities", "People", "Legal"];
const TITLES = ["Engineer", "Manager", "Analyst", "Director", "Assistant"];
const COUNTRIES = ["GB", "DE", "FR", "CH", "US", "NL"];
const WORK_MODES = ["hybrid", "office", "remote"];

export const patch = (...ops) => ({ schemas: [PATCH_OP], Operations: ops });

/** A create as Entra sends it (matching GET first is the caller's job). */
export function userCreateBody(r, userName) {
  const given = r.pick(GIVEN);
  const family = r.pick(FAMILY);
  const body = {
    schemas: [CORE_USER, ENTERPRISE],
    externalId: `${r.token(8)}-${r.token(4)}`,
    userName,
    active: true,
    displayName: `${given} ${family}`,
    emails: [{ primary: true, type: "work", value: userName }],
    meta: { resourceType: "User" },
    name: { formatted: `${given} ${family}`, familyName: family, givenName: given },
    title: r.pick(TITLES),
    roles: [],
    [ENTERPRISE]: { department: r.pick(DEPARTMENTS), employeeNumber: String(r.int(1000, 99999)) },
  };
  if (r.chance(0.6)) body.phoneNumbers = [{ type: "mobile", value: `+44 7700 ${r.int(100000, 999999)}` }];
  if (r.chance(0.6)) body.addresses = [{ type: "work", country: r.pick(COUNTRIES), primary: true }];
  if (r.chance(0.4)) body[CUSTOM_EXT] = { floor: String(r.int(0, 9)), workMode: r.pick(WORK_MODES) };
  if (r.chance(0.2)) body.preferredLanguage = r.pick(["de-CH", "fr-FR", "en-US"]);
  return body;
}

/** One attribute update in one of Entra's PATCH shapes (not userName, not active). */
export function userUpdatePatch(r, userName) {
  const given = r.pick(GIVEN);
  const family = r.pick(FAMILY);
  const shape = r.int(1, 8);
  switch (shape) {
    case 1: // U1: filtered path into a multi-valued attribute
      return { shape: "U1 emails[type eq work].value", body: patch({ op: "Replace", path: 'emails[type eq "work"].value', value: `${r.token(5)}.${userName}` }) };
    case 2: // U2
      return { shape: "U2 name.familyName", body: patch({ op: "Replace", path: "name.familyName", value: family }) };
    case 3: // U5: several ops in one request
      return {
        shape: "U5 several ops",
        body: patch(
          { op: "Replace", path: "displayName", value: `${given} ${family}` },
          { op: "Replace", path: "name.givenName", value: given },
          { op: "Replace", path: "name.familyName", value: family },
          { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: String(r.int(1000, 99999)) },
        ),
      };
    case 4: // U6: no path, dotted and URN-qualified keys
      return {
        shape: "U6 no-path object",
        body: patch({ op: "replace", value: { displayName: `${given} ${family}`, "name.givenName": given, "name.familyName": family, [`${ENTERPRISE}:department`]: r.pick(DEPARTMENTS) } }),
      };
    case 5: // U7: enterprise attribute with a colon path
      return { shape: "U7 enterprise department", body: patch({ op: "Replace", path: `${ENTERPRISE}:department`, value: r.pick(DEPARTMENTS) }) };
    case 6: // U9/U10: filtered phone path (Add creates the element when missing)
      return { shape: "U9 phoneNumbers[type eq mobile].value", body: patch({ op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: `+41 79 ${r.int(1000000, 9999999)}` }) };
    case 7: // U9: filtered address path
      return { shape: "U9 addresses[type eq work].country", body: patch({ op: "Add", path: 'addresses[type eq "work"].country', value: r.pick(COUNTRIES) }) };
    default: // U12: empty string clears, beside a title change
      return { shape: "U12 clear + title", body: patch({ op: "Replace", path: "title", value: r.chance(0.5) ? "" : r.pick(TITLES) }, { op: "Replace", path: `${CUSTOM_EXT}:workMode`, value: r.pick(WORK_MODES) }) };
  }
}

/** U3: the joining attribute itself changes. */
export const renamePatch = (userName) => patch({ op: "Replace", path: "userName", value: userName });

/** Disable/enable: the default (no flag) form sends the strings "False"/"True"; the flag form booleans. */
export const activePatch = (r, active) =>
  patch({ op: "Replace", path: "active", value: r.chance(0.7) ? (active ? "True" : "False") : active });

export const groupCreateBody = (r, displayName) => ({
  schemas: [CORE_GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
  externalId: `${r.token(8)}-${r.token(4)}`,
  displayName,
  meta: { resourceType: "Group" },
});

export const groupRenamePatch = (displayName) => patch({ op: "Replace", path: "displayName", value: displayName });

export const membersAddPatch = (ids) => patch({ op: "Add", path: "members", value: ids.map((value) => ({ $ref: null, value })) });

/** Removal in the default form (value list, "$ref": null) or the flag form (members[value eq …]). */
export function membersRemovePatch(r, ids) {
  if (ids.length === 1 && r.chance(0.5)) return patch({ op: "remove", path: `members[value eq "${ids[0]}"]` });
  return patch({ op: "Remove", path: "members", value: ids.map((value) => ({ $ref: null, value })) });
}

export const filterUserName = (userName) => `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
export const filterGroupName = (name) => `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${name}"`)}`;
