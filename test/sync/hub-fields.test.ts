// The hub user fields end to end: SCIM writes through the real API, cycles through the real
// reconcile entry, the emulator's state read back. Mobile phone, preferred language (and the
// tenant default), work country, a tenant mapping to hub fields, and the hub's naming rules.
import { describe, expect, it } from "vitest";
import { patchOp, scim } from "../support/scim";
import { hubAdmin, hubJson, hubView, provisionedTenant, runSync } from "../support/run-cron";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const contact = {
  preferredLanguage: "fr-CA",
  phoneNumbers: [{ value: "+1 514 555 0100", type: "work", primary: true }, { value: "+1 514 555 0199", type: "mobile" }],
  addresses: [{ type: "home", country: "US" }, { type: "work", locality: "Montréal", country: "CA" }],
};

describe("device hub sync: hub user fields", () => {
  it("sends mobile phone, preferred language and work country on create, and every change of them on the next cycle", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const u = await s.createUser(contact);
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "finished" });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ mobilePhone: "+1 514 555 0199", preferredLanguage: "fr-CA", country: "CA" });

    const patched = await s.patch(`/Users/${u.id}`, patchOp(
      { op: "replace", path: "preferredLanguage", value: "en-CA" },
      { op: "replace", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 438 555 0142" },
      { op: "replace", path: 'addresses[type eq "work"].country', value: "FR" },
    ));
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "finished", kind: "incremental" });
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ mobilePhone: "+1 438 555 0142", preferredLanguage: "en-CA", country: "FR" });

    // Removing the mobile falls back to the primary phone; removing the language to the default.
    await s.patch(`/Users/${u.id}`, patchOp({ op: "remove", path: 'phoneNumbers[type eq "mobile"]' }, { op: "remove", path: "preferredLanguage" }));
    await runSync(t.id);
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ mobilePhone: "+1 514 555 0100", preferredLanguage: "en-GB", country: "FR" });
  });

  it("sends the tenant's default preferred language, and a new default reaches synced users through a full sweep", async () => {
    const { t, hub } = await provisionedTenant({ defaultPreferredLanguage: "de-CH" });
    const s = scim(t);
    const plain = await s.createUser();
    const french = await s.createUser({ preferredLanguage: "fr-CH" });
    await runSync(t.id);
    let view = await hubView(hub);
    expect(view.users.get(plain.id)).toMatchObject({ preferredLanguage: "de-CH", mobilePhone: null, country: null });
    expect(view.users.get(french.id)).toMatchObject({ preferredLanguage: "fr-CH" });

    const changed = await hubJson(`/tenants/${t.id}/device-hub`, { method: "PATCH", body: { defaultPreferredLanguage: "it-CH" } });
    expect(changed).toMatchObject({ defaultPreferredLanguage: "it-CH", apiKeyHint: `…${hub.apiKey.slice(-4)}` });
    expect(await hubJson(`/tenants/${t.id}/provisioning`)).toMatchObject({ sweepRequested: "fullSweep" });
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "finished", kind: "fullSweep" });
    view = await hubView(hub);
    expect(view.users.get(plain.id)).toMatchObject({ preferredLanguage: "it-CH" });
    expect(view.users.get(french.id)).toMatchObject({ preferredLanguage: "fr-CH", version: 1 });
  });

  it("carries the attributes a tenant maps to floor, officeLocation and workMode", async () => {
    const map = { floor: `${ENTERPRISE}:division`, officeLocation: `${ENTERPRISE}:organization`, workMode: null };
    const { t, hub } = await provisionedTenant({ hubFieldMap: map });
    expect(await hubJson(`/tenants/${t.id}/device-hub`)).toMatchObject({ hubFieldMap: { floor: map.floor, officeLocation: map.officeLocation }, hubFieldMapIsDefault: false });
    const s = scim(t);
    const u = await s.createUser({ [ENTERPRISE]: { division: "7", organization: "Lisbon Campus" } });
    await runSync(t.id);
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ floor: "7", officeLocation: "Lisbon Campus", workMode: null });
    await s.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: `${ENTERPRISE}:division`, value: "8" }));
    await runSync(t.id);
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ floor: "8", officeLocation: "Lisbon Campus" });
  });

  it("keeps the options on a PUT that leaves them out (re-entering the key), and resets the map with null", async () => {
    const map = { floor: `${ENTERPRISE}:division` };
    const { t, hub } = await provisionedTenant({ defaultPreferredLanguage: "nb-NO", hubFieldMap: map, enforceNamingRules: true });
    const put = (body: Record<string, unknown>) => hubJson(`/tenants/${t.id}/device-hub`, { method: "PUT", body: { baseUrl: "http://device-hub", apiKey: hub.apiKey, ...body } });
    expect(await put({ timeoutMs: 5000 })).toMatchObject({ timeoutMs: 5000, defaultPreferredLanguage: "nb-NO", hubFieldMap: map, hubFieldMapIsDefault: false, enforceNamingRules: true });
    expect(await put({ hubFieldMap: null, enforceNamingRules: false })).toMatchObject({
      defaultPreferredLanguage: "nb-NO", hubFieldMapIsDefault: true, enforceNamingRules: false, timeoutMs: 10_000,
      hubFieldMap: { workMode: expect.stringMatching(/customextensionname:2\.0:User:workMode$/) },
    });
  });

  it("PATCH turns syncOnChange off and on without the API key, and no full sweep for it", async () => {
    const { t, hub } = await provisionedTenant({ syncOnChange: true });
    const patch = (body: Record<string, unknown>) => hubJson(`/tenants/${t.id}/device-hub`, { method: "PATCH", body });
    expect(await patch({ syncOnChange: false })).toMatchObject({ syncOnChange: false, apiKeyHint: `…${hub.apiKey.slice(-4)}` });
    expect(await hubJson(`/tenants/${t.id}/device-hub`)).toMatchObject({ syncOnChange: false });
    expect(await hubJson(`/tenants/${t.id}/provisioning`)).not.toMatchObject({ sweepRequested: "fullSweep" });
    expect(await patch({ syncOnChange: true })).toMatchObject({ syncOnChange: true });
    expect((await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PATCH", body: { syncOnChange: "no" } })).status).toBe(400);
    expect(await hubJson(`/tenants/${t.id}/device-hub`)).toMatchObject({ syncOnChange: true });
  });

  it("refuses bad settings with 400 and keeps the stored ones", async () => {
    const { t } = await provisionedTenant();
    for (const body of [
      { defaultPreferredLanguage: "english please" },
      { hubFieldMap: { floor: "floor" } },
      { hubFieldMap: { desk: `${ENTERPRISE}:division` } },
      { enforceNamingRules: "yes" },
      {},
    ]) {
      const res = await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PATCH", body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { status: 400, message: expect.any(String) } });
    }
    expect(await hubJson(`/tenants/${t.id}/device-hub`)).toMatchObject({
      defaultPreferredLanguage: "en-GB", hubFieldMapIsDefault: true, enforceNamingRules: false,
      hubFieldMap: { floor: expect.stringMatching(/customextensionname:2\.0:User:floor$/) },
    });
  });
});

describe("device hub sync: naming rules", () => {
  it("parks a user the hub refuses for its name, with a reason an admin understands, and syncs it once fixed", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const bad = await s.createUser({ name: { givenName: "Ann_Marie", familyName: "Smith" } });
    const good = await s.createUser();
    expect((await runSync(t.id)).tenants[0]).toMatchObject({ outcome: "finished" });
    const view = await hubView(hub);
    expect(view.users.has(bad.id)).toBe(false);
    expect(view.users.has(good.id)).toBe(true);

    const parked = await hubJson(`/tenants/${t.id}/provisioning/parked`);
    expect(parked.items).toEqual([expect.objectContaining({ kind: "user", resourceId: bad.id, lastError: expect.stringContaining('givenName "Ann_Marie" contains "_"') })]);
    expect(parked.items[0].lastError).toMatch(/naming_rule_violation: the Device Hub refuses this user's name or email: .*fix it in the identity provider/);
    const logs = await hubJson(`/tenants/${t.id}/provisioning/logs`);
    expect(logs.entries).toContainEqual(expect.objectContaining({ action: "user.create", scimId: bad.id, result: "parked", error: expect.stringContaining("letters, digits, spaces") }));

    await s.patch(`/Users/${bad.id}`, patchOp({ op: "replace", path: "name.givenName", value: "Ann-Marie" }));
    await runSync(t.id);
    expect((await hubView(hub)).users.get(bad.id)).toMatchObject({ givenName: "Ann-Marie" });
    expect((await hubJson(`/tenants/${t.id}/provisioning/parked`)).items).toEqual([]);
  });

  it("parks an update that brings in a banned email character, leaving the hub user as it was", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const u = await s.createUser();
    await runSync(t.id);
    await s.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: 'emails[type eq "work"].value', value: "ada;lovelace@example.com" }));
    await runSync(t.id);
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ email: u.userName, version: 1 });
    const parked = await hubJson(`/tenants/${t.id}/provisioning/parked`);
    expect(parked.items).toEqual([expect.objectContaining({ resourceId: u.id, lastError: expect.stringContaining('email "ada;lovelace@example.com" contains ";"') })]);
  });
});
