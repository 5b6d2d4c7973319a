// One tenant's Entra-shaped SCIM traffic at Entra's pace: creates (with Entra's matching GET
// first), PATCH updates in Entra's shapes, renames with swaps and three-way rotations,
// deactivations, deletes and re-creates of the same userName, group and membership churn, and
// adoption of hub-made accounts (made directly in the emulator, behind the connector's back).
// The tenant's model is what the soak believes SCIM holds; the final check reads SCIM itself.
import {
  activePatch, filterGroupName, filterUserName, groupCreateBody, groupRenamePatch, membersAddPatch, membersRemovePatch, renamePatch, userCreateBody, userUpdatePatch,
} from "./entra.mjs";
import { sleep } from "./api.mjs";

const WEIGHTS = {
  createUser: 22, updateUser: 18, renameUser: 5, swapNames: 3, rotateNames: 2, deactivate: 6, reactivate: 3, deleteUser: 5,
  createGroup: 4, renameGroup: 3, deleteGroup: 1.5, addMembers: 10, removeMembers: 7, hubMadeUser: 2,
};

const ok = (status) => status >= 200 && status < 300;

/** Per-operation counters: attempts and the answers' statuses. */
function record(stats, kind, status) {
  const s = (stats.ops[kind] ??= { n: 0, statuses: {} });
  s.statuses[status] = (s.statuses[status] ?? 0) + 1;
}

export function newTenantModel() {
  return {
    users: new Map(), // scimId → { userName, active }
    groups: new Map(), // scimId → { name, members: Set<scimUserId> }
    deletedNames: [],
    /** Hub-made accounts: hubId → the hub user as made; `free` ones hold a name SCIM has not claimed. */
    hubMade: new Map(),
    hubMadeFree: [],
    /** userName (lower case) → { hubId, scimId, policy }: a SCIM create that took a hub-made account's name with 201. */
    adoptionClaims: new Map(),
    /** Hub objects of "another integration" (a foreign externalRef) and hub-made groups: hubId → as made. */
    foreignUsers: new Map(),
    foreignGroups: new Map(), // hubId → { group, memberIds }
    /** Every SCIM id this tenant ever had (users and groups): a hub object with such an externalRef is ours. */
    everUsers: new Set(),
    everGroups: new Set(),
    stats: { ops: {}, requests: 0, opsDone: 0 },
  };
}

/** A hub-made account (no externalRef), as a hub admin's CSV upload or a self-registration makes it. */
export async function makeHubUser(api, t, r) {
  const userName = `hub-${r.token(7)}@soak${t.index}.test`;
  const res = await api.hub(t.apiKey, "POST", "/api/v1/users", { userName, displayName: "Hub Made", givenName: "Hub", familyName: "Made", email: userName });
  if (res.status !== 201) return undefined;
  t.model.hubMade.set(res.body.id, res.body);
  t.model.hubMadeFree.push(userName);
  return res.body;
}

export function trafficOps(api, t) {
  const r = t.rand;
  const m = t.model;
  const scim = async (kind, method, path, body) => {
    m.stats.requests++;
    const res = await api.scim(t.token, method, path, body);
    record(m.stats, kind, res.status);
    return res;
  };
  const userIds = () => [...m.users.keys()];
  const newName = () => `u-${r.token(8)}@soak${t.index}.test`;
  const remember = (name) => {
    m.deletedNames.push(name);
    if (m.deletedNames.length > 50) m.deletedNames.shift();
  };

  async function createUser() {
    let kind = "createUser";
    let userName = newName();
    if (m.hubMadeFree.length && r.chance(0.3)) {
      kind = "adoptHubMade";
      userName = m.hubMadeFree.splice(Math.floor(r.next() * m.hubMadeFree.length), 1)[0];
    } else if (m.deletedNames.length && r.chance(0.3)) {
      kind = "recreateDeleted";
      userName = m.deletedNames.splice(Math.floor(r.next() * m.deletedNames.length), 1)[0];
    }
    const match = await scim(`${kind}:matchingGet`, "GET", filterUserName(userName));
    if (match.status === 200 && match.body?.totalResults > 0) return; // Entra would PATCH the match instead
    const res = await scim(kind, "POST", "/Users", userCreateBody(r, userName));
    if (res.status === 201) {
      m.users.set(res.body.id, { userName, active: true });
      m.everUsers.add(res.body.id);
      if (kind === "adoptHubMade") {
        // Under "reject" a 201 means the userName check fell open (hub slow or faulted): no adoption.
        const hubId = [...m.hubMade.values()].find((h) => h.userName === userName)?.id;
        m.adoptionClaims.set(userName.toLowerCase(), { hubId, scimId: res.body.id, policy: t.policy });
      }
    } else if (kind === "adoptHubMade" && res.status !== 409) {
      m.hubMadeFree.push(userName); // no answer: Entra tries again later
    }
  }

  async function updateUser() {
    const id = r.pick(userIds());
    if (!id) return;
    const { shape, body } = userUpdatePatch(r, m.users.get(id).userName);
    await scim(`updateUser ${shape}`, "PATCH", `/Users/${id}`, body);
  }

  async function rename(kind, id, userName) {
    const res = await scim(kind, "PATCH", `/Users/${id}`, renamePatch(userName));
    if (ok(res.status)) m.users.get(id).userName = userName;
    return ok(res.status);
  }

  async function renameUser() {
    const id = r.pick(userIds());
    if (id) await rename("renameUser", id, newName());
  }

  /** U1 A→tmp, U2 B→A, U1 tmp→B: what Entra sends when two people's names are exchanged. */
  async function swapNames() {
    const [a, b] = r.sample(userIds(), 2);
    if (!b) return;
    const [na, nb] = [m.users.get(a).userName, m.users.get(b).userName];
    (await rename("swapNames", a, `tmp-${r.token(6)}@soak${t.index}.test`)) && (await rename("swapNames", b, na)) && (await rename("swapNames", a, nb));
  }

  /** U1 A→tmp, U3 C→A, U2 B→C, U1 tmp→B: a three-way rotation. */
  async function rotateNames() {
    const [a, b, c] = r.sample(userIds(), 3);
    if (!c) return;
    const [na, nb, nc] = [a, b, c].map((id) => m.users.get(id).userName);
    (await rename("rotateNames", a, `tmp-${r.token(6)}@soak${t.index}.test`)) &&
      (await rename("rotateNames", c, na)) &&
      (await rename("rotateNames", b, nc)) &&
      (await rename("rotateNames", a, nb));
  }

  async function setActive(kind, active) {
    const id = r.pick(userIds().filter((u) => m.users.get(u).active !== active));
    if (!id) return;
    const res = await scim(kind, "PATCH", `/Users/${id}`, activePatch(r, active));
    if (ok(res.status)) m.users.get(id).active = active;
  }

  async function deleteUser() {
    const id = r.pick(userIds());
    if (!id) return;
    const res = await scim("deleteUser", "DELETE", `/Users/${id}`);
    if (res.status === 204 || res.status === 404) {
      remember(m.users.get(id).userName);
      m.users.delete(id);
      for (const g of m.groups.values()) g.members.delete(id);
    }
  }

  async function createGroup() {
    const name = `Soak group ${r.token(6)}`;
    const match = await scim("createGroup:matchingGet", "GET", filterGroupName(name));
    if (match.status === 200 && match.body?.totalResults > 0) return;
    const res = await scim("createGroup", "POST", "/Groups", groupCreateBody(r, name));
    if (res.status !== 201) return;
    m.groups.set(res.body.id, { name, members: new Set() });
    m.everGroups.add(res.body.id);
    // Entra creates groups empty and adds the members by PATCH.
    const ids = r.sample(userIds(), r.int(1, 6));
    if (ids.length && ok((await scim("addMembers", "PATCH", `/Groups/${res.body.id}`, membersAddPatch(ids))).status)) {
      for (const u of ids) m.groups.get(res.body.id).members.add(u);
    }
  }

  async function renameGroup() {
    const id = r.pick([...m.groups.keys()]);
    if (!id) return;
    const name = `Soak group ${r.token(6)}`;
    if (ok((await scim("renameGroup", "PATCH", `/Groups/${id}`, groupRenamePatch(name))).status)) m.groups.get(id).name = name;
  }

  async function deleteGroup() {
    const id = r.pick([...m.groups.keys()]);
    if (!id) return;
    const res = await scim("deleteGroup", "DELETE", `/Groups/${id}`);
    if (res.status === 204 || res.status === 404) m.groups.delete(id);
  }

  async function addMembers() {
    const id = r.pick([...m.groups.keys()]);
    if (!id) return;
    const g = m.groups.get(id);
    const ids = r.sample(userIds().filter((u) => !g.members.has(u)), r.int(1, 3));
    if (!ids.length) return;
    if (ok((await scim("addMembers", "PATCH", `/Groups/${id}`, membersAddPatch(ids))).status)) for (const u of ids) g.members.add(u);
  }

  async function removeMembers() {
    const id = r.pick([...m.groups.keys()].filter((g) => m.groups.get(g).members.size > 0));
    if (!id) return;
    const g = m.groups.get(id);
    const ids = r.sample([...g.members], r.int(1, 2));
    if (ok((await scim("removeMembers", "PATCH", `/Groups/${id}`, membersRemovePatch(r, ids))).status)) for (const u of ids) g.members.delete(u);
  }

  async function hubMadeUser() {
    record(m.stats, "hubMadeUser (emulator)", (await makeHubUser(api, t, r)) ? 201 : 0);
  }

  const ops = {
    createUser, updateUser, renameUser, swapNames, rotateNames, deactivate: () => setActive("deactivate", false), reactivate: () => setActive("reactivate", true),
    deleteUser, createGroup, renameGroup, deleteGroup, addMembers, removeMembers, hubMadeUser,
  };

  /** Weights bent by the model: grow a small directory first, keep it from emptying. */
  function nextOp() {
    const users = m.users.size;
    const w = { ...WEIGHTS };
    if (users < 8) Object.assign(w, { createUser: 60, deleteUser: 0, swapNames: 0, rotateNames: 0 });
    if (users > 120) Object.assign(w, { createUser: 8, deleteUser: 10 });
    if (m.groups.size < 3) w.createGroup = 12;
    if (m.groups.size > 25) Object.assign(w, { createGroup: 1, deleteGroup: 4 });
    return r.weighted(w);
  }
  return { ops, nextOp };
}

/**
 * Drive one tenant until `deadline()` (it moves out by the restart's downtime) or `maxOps`.
 * Pace: `rate` SCIM requests per second on average, jittered; the gate holds the loop while the
 * stack restarts.
 */
export async function runTraffic(api, t, { rate, deadline, maxOps, gate }) {
  const { ops, nextOp } = trafficOps(api, t);
  const stats = t.model.stats;
  while (Date.now() < deadline() && stats.opsDone < maxOps) {
    await gate.waitUp();
    const before = stats.requests;
    await ops[nextOp()]();
    stats.opsDone++;
    const made = Math.max(1, stats.requests - before);
    await sleep(((made * 1000) / rate) * (0.5 + t.rand.next()));
  }
}
