// The convergence check for one tenant: SCIM (the admin export) against the hub (the emulator's
// state), plus the sync's own parked list and status. Pure: inputs in, differences out.
//
// The expected hub user is computed here from the SCIM document by the documented mapping
// (docs/device-hub.md "Attribute mapping", default field map, default language en-GB), written
// again on purpose rather than imported from src/: the soak is an independent oracle.
import { CUSTOM_EXT, ENTERPRISE } from "./entra.mjs";

const USER_FIELDS = ["userName", "displayName", "email", "givenName", "familyName", "jobTitle", "department", "employeeNumber", "active",
  "mobilePhone", "preferredLanguage", "country", "floor", "officeLocation", "workMode"];
const MOBILE = new Set(["mobile", "cellular", "cell"]);

const text = (v) => (typeof v === "string" && v !== "" ? v.slice(0, 1024) : typeof v === "number" || typeof v === "boolean" ? String(v) : null);
const list = (v) => (Array.isArray(v) ? v.filter((x) => x && typeof x === "object") : []);
const lower = (v) => (typeof v === "string" ? v.toLowerCase() : "");

export function expectedHubUser(doc) {
  const emails = list(doc.emails);
  const email = emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === "work") ?? emails[0];
  const phones = list(doc.phoneNumbers).filter((p) => text(p.value) !== null);
  const mobiles = phones.filter((p) => MOBILE.has(lower(p.type)));
  const phone = mobiles.find((p) => p.primary === true) ?? mobiles[0] ?? phones.find((p) => p.primary === true);
  const work = list(doc.addresses).filter((a) => lower(a.type) === "work" && text(a.country) !== null);
  const address = work.find((a) => a.primary === true) ?? work[0];
  const name = doc.name ?? {};
  const ent = doc[ENTERPRISE] ?? {};
  const ext = doc[CUSTOM_EXT] ?? {};
  return {
    userName: String(doc.userName),
    displayName: text(doc.displayName) ?? text(name.formatted),
    email: text(email?.value),
    givenName: text(name.givenName),
    familyName: text(name.familyName),
    jobTitle: text(doc.title),
    department: text(ent.department),
    employeeNumber: text(ent.employeeNumber),
    active: doc.active !== false,
    mobilePhone: text(phone?.value),
    preferredLanguage: text(doc.preferredLanguage) ?? "en-GB",
    country: text(address?.country),
    floor: text(ext.floor),
    officeLocation: text(ext.officeLocation),
    workMode: text(ext.workMode),
  };
}

const sameForeignUser = (a, b) => ["externalRef", ...USER_FIELDS].every((f) => (a[f] ?? null) === (b[f] ?? null));
const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));

/**
 * `scim`: { users: [doc], groups: [doc], memberships: [{groupId, memberId, memberType}] };
 * `hub`: the emulator's state { users, groups, members: [{groupId, userId}] };
 * `model`: the soak's records (everUsers, everGroups, hubMade, foreign seeds, adoptionClaims);
 * `parked`: the sync's parked items; `status`: its provisioning status.
 * Answers [{ kind, id, detail }].
 */
export function convergenceDiff({ scim, hub, model, parked, status, graceDays = 0 }) {
  const diffs = [];
  const add = (kind, id, detail) => diffs.push({ kind, id, detail });
  const hubByRef = new Map(hub.users.filter((u) => u.externalRef).map((u) => [u.externalRef, u]));
  const hubById = new Map(hub.users.map((u) => [u.id, u]));
  const hubByName = new Map(hub.users.map((u) => [u.userName.toLowerCase(), u]));
  const scimUserIds = new Set(scim.users.map((u) => u.id));
  const claimsByScimId = new Map([...model.adoptionClaims.values()].filter((c) => c.policy === "adopt").map((c) => [c.scimId, c]));

  // Every SCIM user is in the hub, linked by externalRef, with SCIM's fields.
  for (const doc of scim.users) {
    const want = expectedHubUser(doc);
    const have = hubByRef.get(doc.id);
    const claim = claimsByScimId.get(doc.id);
    if (!have) {
      const holder = hubByName.get(want.userName.toLowerCase());
      if (claim && holder && holder.id === claim.hubId && holder.externalRef === null) {
        add("adoption not completed", doc.id, `"${want.userName}" was created in SCIM under "adopt"; hub-made ${holder.id} is still unlinked`);
      } else if (holder && !(holder.externalRef && model.everUsers.has(holder.externalRef))) {
        add("name held by a foreign account", doc.id, `"${want.userName}" is held by hub user ${holder.id} (externalRef ${holder.externalRef ?? "null"})`);
      } else if (holder) {
        add("missing in hub", doc.id, `user "${want.userName}" (active ${want.active}); the name is held by our hub user ${holder.id} (externalRef ${holder.externalRef}${scimUserIds.has(holder.externalRef) ? ", a live SCIM user" : ", deleted in SCIM"})`);
      } else {
        add("missing in hub", doc.id, `user "${want.userName}" (active ${want.active})`);
      }
      continue;
    }
    if (claim && claim.hubId && have.id !== claim.hubId) {
      add("adopted account replaced", doc.id, `"${want.userName}" should live on in hub-made ${claim.hubId}; the hub has ${have.id} instead${hubById.has(claim.hubId) ? " (the hub-made one still exists)" : ""}`);
    }
    for (const f of USER_FIELDS) {
      if ((have[f] ?? null) === want[f]) continue;
      // For a userName, who holds SCIM's name in the hub tells a swap or rotation from a foreign holder.
      const holder = f === "userName" ? hubByName.get(want.userName.toLowerCase()) : undefined;
      const held = !holder ? "" : holder.externalRef && model.everUsers.has(holder.externalRef)
        ? ` (the hub gives that name to our user ${holder.externalRef}${scimUserIds.has(holder.externalRef) ? "" : ", deleted in SCIM"})`
        : ` (held by foreign hub user ${holder.id})`;
      add("field differs", doc.id, `user ${f}: hub ${JSON.stringify(have[f] ?? null)}, SCIM ${JSON.stringify(want[f])}${held}`);
    }
  }

  // Hub users: ours that SCIM no longer has; foreign ones must be exactly as they were made.
  const foreignUsers = new Map([...model.hubMade, ...model.foreignUsers]);
  for (const u of hub.users) {
    if (u.externalRef && scimUserIds.has(u.externalRef)) continue;
    const made = foreignUsers.get(u.id);
    // Within the tenant's grace period a deleted user's account is kept, deactivated: not a difference.
    if (u.externalRef && model.everUsers.has(u.externalRef) && graceDays > 0 && u.active === false) continue;
    if (u.externalRef && model.everUsers.has(u.externalRef)) {
      add("extra in hub (ours)", u.id, `hub user "${u.userName}" (active ${u.active}) for SCIM user ${u.externalRef}, deleted in SCIM`);
    } else if (made) {
      if (!sameForeignUser(u, made)) {
        const changed = ["externalRef", ...USER_FIELDS].filter((f) => (u[f] ?? null) !== (made[f] ?? null));
        add("foreign changed", u.id, `hub-made user "${made.userName}": ${changed.map((f) => `${f} ${JSON.stringify(made[f] ?? null)} → ${JSON.stringify(u[f] ?? null)}`).join(", ")}`);
      }
    } else {
      add("extra in hub (unknown)", u.id, `hub user "${u.userName}" externalRef ${u.externalRef ?? "null"}: neither ours nor made by the soak`);
    }
  }
  for (const [id, made] of foreignUsers) {
    if (hubById.has(id)) continue;
    const claim = model.adoptionClaims.get(made.userName.toLowerCase());
    const adoptedThenDeleted = claim?.policy === "adopt" && !scimUserIds.has(claim.scimId);
    if (!adoptedThenDeleted && !(claim?.policy === "adopt" && hubByRef.has(claim.scimId))) {
      add("foreign deleted", id, `hub-made user "${made.userName}" is gone from the hub${claim ? ` (SCIM created the name under ${claim.policy})` : ", never claimed by SCIM"}`);
    }
  }

  // Groups: every SCIM group in the hub by externalRef with its name and its user members.
  const hubGroupsByRef = new Map(hub.groups.filter((g) => g.externalRef).map((g) => [g.externalRef, g]));
  const membersOf = new Map();
  for (const m of hub.members) (membersOf.get(m.groupId) ?? membersOf.set(m.groupId, new Set()).get(m.groupId)).add(m.userId);
  const scimMembers = new Map();
  for (const m of scim.memberships) {
    if (m.memberType !== "User" || !scimUserIds.has(m.memberId)) continue;
    (scimMembers.get(m.groupId) ?? scimMembers.set(m.groupId, new Set()).get(m.groupId)).add(m.memberId);
  }
  const scimGroupIds = new Set(scim.groups.map((g) => g.id));
  for (const g of scim.groups) {
    const have = hubGroupsByRef.get(g.id);
    if (!have) {
      add("missing in hub", g.id, `group "${g.displayName}" (${scimMembers.get(g.id)?.size ?? 0} members)`);
      continue;
    }
    if (have.name !== g.displayName) add("field differs", g.id, `group name: hub ${JSON.stringify(have.name)}, SCIM ${JSON.stringify(g.displayName)}`);
    const want = scimMembers.get(g.id) ?? new Set();
    // Hub members that are ours, in SCIM ids; hub-made members of our groups are left alone.
    const haveRefs = new Set([...(membersOf.get(have.id) ?? [])].map((id) => hubById.get(id)?.externalRef).filter((ref) => ref && model.everUsers.has(ref)));
    const missing = [...want].filter((id) => !haveRefs.has(id));
    const extra = [...haveRefs].filter((id) => !want.has(id));
    if (missing.length || extra.length) {
      const userGone = missing.filter((id) => !hubByRef.has(id)).length;
      add("membership differs", g.id, `group "${g.displayName}": ${missing.length} missing${userGone ? ` (${userGone} of them not in the hub at all)` : ""} ${missing.slice(0, 3).join(", ")}; ${extra.length} extra ${extra.slice(0, 3).join(", ")}`);
    }
  }
  for (const g of hub.groups) {
    if (g.externalRef && scimGroupIds.has(g.externalRef)) continue;
    const seed = model.foreignGroups.get(g.id);
    if (g.externalRef && model.everGroups.has(g.externalRef)) {
      add("extra in hub (ours)", g.id, `hub group "${g.name}" for SCIM group ${g.externalRef}, deleted in SCIM`);
    } else if (seed) {
      const members = membersOf.get(g.id) ?? new Set();
      if (g.name !== seed.group.name || (g.externalRef ?? null) !== (seed.group.externalRef ?? null) || !sameSet(members, new Set(seed.memberIds))) {
        add("foreign changed", g.id, `hub-made group "${seed.group.name}": now "${g.name}", externalRef ${g.externalRef ?? "null"}, ${members.size} members (made with ${seed.memberIds.length})`);
      }
    } else {
      add("extra in hub (unknown)", g.id, `hub group "${g.name}" externalRef ${g.externalRef ?? "null"}`);
    }
  }
  for (const [id, seed] of model.foreignGroups) {
    if (!hub.groups.some((g) => g.id === id)) add("foreign deleted", id, `hub-made group "${seed.group.name}" is gone from the hub`);
  }

  // What the sync itself says it could not do.
  for (const p of parked) add("parked", `${p.kind}:${p.resourceId}${p.memberId ? `/${p.memberId}` : ""}`, `${p.attempts} attempts; ${p.lastError ?? "no error recorded"}`);
  if (status) {
    const { queued, pending } = status.queue;
    if (queued || pending) add("queue not drained", status.tenantId, `${queued} queued, ${pending} pending after settling`);
    if (status.stuck) add("stuck", status.tenantId, `${status.stuck.reason} (since ${status.stuck.since}, ${status.stuck.runs} runs)`);
    if (status.deletions.state !== "flowing") add("deletions held", status.tenantId, `${status.deletions.users} users, ${status.deletions.groups} groups await confirmation`);
  }
  return diffs;
}
