// A membership difference made behind the connector's back, for the drift report's console, portal
// and CLI tests: a SCIM group of the first two users (the third not a member) is synced to the
// hub; then, through the emulator's control API, the first leaves the hub group and the third
// joins it. Waits for a condition (the group and its users in the hub), never for a fixed time.
import assert from "node:assert/strict";

export async function makeMembershipDrift({ baseUrl, hubUrl, scimToken, hubKey, userNames, groupName, startSync }) {
  const scim = async (path, body) => {
    const res = await fetch(`${baseUrl}/scim/v2${path}`, { method: "POST", headers: { Authorization: `Bearer ${scimToken}`, "Content-Type": "application/scim+json" }, body: JSON.stringify(body) });
    assert.equal(res.status, 201, await res.clone().text());
    return res.json();
  };
  const control = async (method, path, body) => {
    const res = await fetch(`${hubUrl}/__control${path}`, { method, headers: { Authorization: `Bearer ${hubKey}`, "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.json();
  };
  const users = [];
  for (const userName of userNames) users.push(await scim("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true }));
  const group = await scim("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: groupName, members: users.slice(0, 2).map((u) => ({ value: u.id })) });
  await startSync();
  let state;
  const hubGroup = () => state.groups.find((g) => g.externalRef === group.id);
  const deadline = Date.now() + 60_000;
  for (;;) {
    state = await control("GET", "/state");
    if (hubGroup()?.memberCount === 2 && users.every((u) => state.users.some((h) => h.externalRef === u.id))) break;
    assert.ok(Date.now() < deadline, `the group did not reach the hub: ${JSON.stringify(hubGroup())}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const hubIdOf = (u) => state.users.find((h) => h.externalRef === u.id).id;
  await control("POST", `/api/v1/groups/${hubGroup().id}/members/remove`, { userIds: [hubIdOf(users[0])] });
  await control("POST", `/api/v1/groups/${hubGroup().id}/members/add`, { userIds: [hubIdOf(users[2])] });
  return { users, group };
}
