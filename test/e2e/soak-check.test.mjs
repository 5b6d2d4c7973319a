// The convergence soak's own checker (scripts/soak/check.mjs), without a stack: a hub that matches
// SCIM yields no difference, and each kind of difference the soak reports is found and named.
import assert from "node:assert/strict";
import { test } from "node:test";
import { convergenceDiff, expectedHubUser } from "../../scripts/soak/check.mjs";
import { newTenantModel } from "../../scripts/soak/traffic.mjs";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const scimUser = (id, userName, extra = {}) => ({
  id, userName, active: true, displayName: `D ${id}`, name: { givenName: "Ada", familyName: "Lovelace" },
  emails: [{ primary: true, type: "work", value: userName }], [ENTERPRISE]: { department: "Sales" }, ...extra,
});
const hubUserOf = (doc, hubId) => ({ id: hubId, externalRef: doc.id, ...expectedHubUser(doc), version: 1 });
const idle = { tenantId: "t", queue: { queued: 0, pending: 0, parked: 0 }, stuck: null, deletions: { state: "flowing", users: 0, groups: 0 } };

/** SCIM with two users in one group, the hub exactly as the sync should leave it, one hub-made user. */
function converged() {
  const u1 = scimUser("s1", "a@x.test");
  const u2 = scimUser("s2", "b@x.test", { phoneNumbers: [{ type: "mobile", value: "+41 79 1" }] });
  const hubMade = { id: "h9", externalRef: null, userName: "hub@x.test", displayName: "Hub Made", active: true };
  const model = newTenantModel();
  for (const id of ["s1", "s2", "s3"]) model.everUsers.add(id);
  model.everGroups.add("g1");
  model.hubMade.set("h9", hubMade);
  return {
    scim: { users: [u1, u2], groups: [{ id: "g1", displayName: "Sales" }], memberships: [{ groupId: "g1", memberId: "s1", memberType: "User" }, { groupId: "g1", memberId: "s2", memberType: "User" }] },
    hub: {
      users: [hubUserOf(u1, "h1"), hubUserOf(u2, "h2"), { ...hubMade }],
      groups: [{ id: "hg1", externalRef: "g1", name: "Sales" }],
      members: [{ groupId: "hg1", userId: "h1" }, { groupId: "hg1", userId: "h2" }, { groupId: "hg1", userId: "h9" }],
    },
    model, parked: [], status: idle,
  };
}

const kinds = (diffs) => diffs.map((d) => d.kind).sort();

test("a hub that matches SCIM (a hub-made member of our group left in place) has no difference", () => {
  assert.deepEqual(convergenceDiff(converged()), []);
});

test("the mapping follows docs/device-hub.md: mobile phone, default language, enterprise department", () => {
  const want = expectedHubUser(scimUser("s2", "b@x.test", { phoneNumbers: [{ type: "work", value: "1" }, { type: "mobile", value: "2" }] }));
  assert.equal(want.mobilePhone, "2");
  assert.equal(want.preferredLanguage, "en-GB");
  assert.equal(want.department, "Sales");
});

test("swapped names: both users' userName differ, each naming our user that holds its name", () => {
  const s = converged();
  s.hub.users[0].userName = "b@x.test";
  s.hub.users[1].userName = "a@x.test";
  const diffs = convergenceDiff(s);
  assert.deepEqual(kinds(diffs), ["field differs", "field differs"]);
  assert.match(diffs[0].detail, /userName: hub "b@x.test", SCIM "a@x.test" \(the hub gives that name to our user s2\)/);
});

test("missing, extra (ours), membership, group name, parked and an undrained queue are each reported", () => {
  const s = converged();
  s.hub.users = s.hub.users.filter((u) => u.id !== "h2");
  s.hub.members = s.hub.members.filter((m) => m.userId !== "h2");
  s.hub.users.push({ ...hubUserOf(scimUser("s3", "c@x.test"), "h3") });
  s.hub.groups[0].name = "Old name";
  s.parked = [{ kind: "user", resourceId: "s2", memberId: null, attempts: 5, lastError: "conflict 409 user_name_taken" }];
  s.status = { ...idle, queue: { queued: 2, pending: 1, parked: 1 } };
  assert.deepEqual(kinds(convergenceDiff(s)), ["extra in hub (ours)", "field differs", "membership differs", "missing in hub", "parked", "queue not drained"]);
});

test("a hub-made account: changed or deleted without an adoption is reported; a name it holds is a foreign holder", () => {
  const changed = converged();
  changed.hub.users[2].externalRef = "s1-but-not-adopted";
  assert.deepEqual(kinds(convergenceDiff(changed)), ["foreign changed"]);

  const deleted = converged();
  deleted.hub.users = deleted.hub.users.filter((u) => u.id !== "h9");
  assert.deepEqual(kinds(convergenceDiff(deleted)), ["foreign deleted"]);

  const held = converged();
  held.scim.users.push(scimUser("s4", "hub@x.test"));
  held.model.everUsers.add("s4");
  assert.deepEqual(kinds(convergenceDiff(held)), ["name held by a foreign account"]);
});

test("an adoption SCIM asked for: unlinked hub-made account → not completed; linked → converged", () => {
  const s = converged();
  s.hub.members = s.hub.members.filter((m) => m.userId !== "h9"); // once adopted it is ours: SCIM's groups decide
  s.scim.users.push(scimUser("s4", "hub@x.test"));
  s.model.everUsers.add("s4");
  s.model.adoptionClaims.set("hub@x.test", { hubId: "h9", scimId: "s4", policy: "adopt" });
  assert.deepEqual(kinds(convergenceDiff(s)), ["adoption not completed"]);

  s.hub.users[2] = hubUserOf(s.scim.users[2], "h9");
  assert.deepEqual(convergenceDiff(s), []);
});
