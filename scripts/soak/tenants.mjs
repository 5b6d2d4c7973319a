// Soak tenants, set up through the admin API as an operator would: tenant, SCIM client and token,
// a Device Hub workspace of its own on the emulator (one API key each) that already holds
// hub-made accounts and groups (CSV uploads, self-registrations, another integration's objects),
// the hubConflict policy, then provisioning started (its initial sweep meets those accounts).
import { ok } from "./api.mjs";
import { makeHubUser, newTenantModel } from "./traffic.mjs";

const HUB_MADE_FOR_ADOPTION = 6;

async function hubCall(api, apiKey, method, path, body, what) {
  return ok(await api.hub(apiKey, method, path, body), what);
}

/** Hub objects the connector must leave exactly as they are (unless SCIM adopts a hub-made user). */
async function seedHub(api, t, r) {
  for (let k = 0; k < HUB_MADE_FOR_ADOPTION; k++) await makeHubUser(api, t, r);
  const memberOnly = [];
  for (let k = 0; k < 2; k++) {
    const userName = `desk-${r.token(6)}@soak${t.index}.test`;
    const u = await hubCall(api, t.apiKey, "POST", "/api/v1/users", { userName, displayName: "Self Registered", email: userName }, "a hub-made user");
    t.model.foreignUsers.set(u.id, u);
    memberOnly.push(u.id);
  }
  for (let k = 0; k < 2; k++) {
    const userName = `other-${r.token(6)}@soak${t.index}.test`;
    const u = await hubCall(api, t.apiKey, "POST", "/api/v1/users", { userName, externalRef: `other-integration-${r.token(10)}`, displayName: "Other Integration" }, "another integration's user");
    t.model.foreignUsers.set(u.id, u);
  }
  for (const [name, externalRef, memberIds] of [["All staff (hub)", null, memberOnly], ["Other integration group", `other-integration-${r.token(10)}`, memberOnly.slice(0, 1)]]) {
    const g = await hubCall(api, t.apiKey, "POST", "/api/v1/groups", { name, externalRef }, "a hub-made group");
    await hubCall(api, t.apiKey, "POST", `/api/v1/groups/${g.id}/members/add`, { userIds: memberIds }, "hub-made members");
    t.model.foreignGroups.set(g.id, { group: g, memberIds });
  }
}

export async function setupTenant(api, { index, seed, policy, hubUrl, rand, hubTimeoutMs }) {
  const tenant = ok(await api.admin("POST", "/tenants", { name: `Soak s${seed} #${index}` }), "creating a tenant");
  const client = ok(await api.admin("POST", `/tenants/${tenant.id}/clients`, { name: "entra (soak)" }), "creating a SCIM client");
  const token = ok(await api.admin("POST", `/tenants/${tenant.id}/clients/${client.client_id}/tokens`, { expires_in: 86_400 }), "issuing a token").access_token;
  // Every other tenant keeps a deleted user's hub account for the default 30 days (deactivated,
  // relinked by a re-create of its name); the others delete it at once.
  const graceDays = index % 2 === 0 ? 30 : 0;
  const t = { index, id: tenant.id, token, apiKey: `soak-s${seed}-t${index}-${rand.token(8)}`, policy, graceDays, rand, model: newTenantModel() };
  await seedHub(api, t, rand);
  ok(await api.admin("PUT", `/tenants/${t.id}/device-hub`, { baseUrl: hubUrl, apiKey: t.apiKey, timeoutMs: hubTimeoutMs, deletedUserGraceDays: graceDays }), "setting the Device Hub");
  ok(await api.admin("PATCH", `/tenants/${t.id}/provisioning/policy`, { hubConflict: policy }), "setting the policy");
  ok(await api.admin("POST", `/tenants/${t.id}/provisioning/start`), "starting provisioning");
  return t;
}
