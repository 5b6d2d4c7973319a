// Hub-held names as a list, with adopt (issue 22): SCIM creates refused (or parked) because a hub
// account that is not ours holds the userName are listed with the holder; the admin adopts one,
// several or all of them, so a tenant that started with "reject" needs no Entra re-run.
import { describe, expect, it } from "vitest";
import { expectScimError, scim, userPayload } from "../support/scim";
import { hubAdmin, hubJson, hubView, later, provisionedTenant, runSync } from "../support/run-cron";
import { newTenant } from "../support/tenant";

const MIN = 60_000;

describe("hub-held names", () => {
  it("lists refused and parked creates with their holders; adopting one, then all, links the hub accounts", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    const s = scim(t);
    const selfRegistered: Record<string, string> = {};
    for (const name of ["ann@example.com", "bob@example.com", "cy@example.com"]) {
      selfRegistered[name] = (await hub.api("POST", "/v1/users", { userName: name, displayName: "Self registered" })).body!.id;
    }
    const otherIntegration = (await hub.api("POST", "/v1/users", { userName: "hr@example.com", externalRef: "hr-import-1" })).body!.id;
    for (const name of [...Object.keys(selfRegistered), "hr@example.com"]) {
      await expectScimError(await s.post("/Users", userPayload({ userName: name, displayName: `Entra ${name}` })), 409, "uniqueness", /Device Hub/);
    }
    // Refused twice: counted, the last document kept.
    await expectScimError(await s.post("/Users", userPayload({ userName: "ANN@example.com", displayName: "Entra Ann" })), 409, "uniqueness");
    // A create SCIM accepted, whose name a person took in the hub before it was synced: parked.
    const late = await s.createUser({ userName: "late@example.com" });
    const lateHolder = (await hub.api("POST", "/v1/users", { userName: "late@example.com" })).body!.id;
    await runSync(t.id, { clock: later(MIN) });

    let list = await hubJson(`/tenants/${t.id}/provisioning/hub-held-names`);
    expect(list.truncated).toBe(false);
    expect(list.items.map((i: { userName: string; source: string }) => [i.userName, i.source])).toEqual([
      ["ANN@example.com", "rejectedCreate"], ["bob@example.com", "rejectedCreate"], ["cy@example.com", "rejectedCreate"],
      ["hr@example.com", "rejectedCreate"], ["late@example.com", "parkedCreate"],
    ]);
    expect(list.items[0]).toMatchObject({ holder: { hubId: selfRegistered["ann@example.com"], externalRef: null }, rejections: 2 });
    expect(list.items[3]).toMatchObject({ holder: { hubId: otherIntegration, externalRef: "hr-import-1" } });
    expect(list.items[4]).toMatchObject({ scimId: late.id, holder: { hubId: lateHolder, externalRef: null } });
    expect(list.items[0].doc).toBeUndefined();

    // One.
    const one = await hubJson(`/tenants/${t.id}/provisioning/hub-held-names/adopt`, { method: "POST", body: { userNames: ["ann@example.com"] } });
    expect(one.adopted).toEqual([{ userName: "ANN@example.com", scimId: expect.any(String), hubId: selfRegistered["ann@example.com"] }]);
    expect(one.refused).toEqual([]);
    const ann = await (await s.get(`/Users/${one.adopted[0].scimId}`)).json() as Record<string, unknown>;
    expect(ann).toMatchObject({ userName: "ANN@example.com", displayName: "Entra Ann" });
    // All the rest: another integration's account is never adopted.
    const all = await hubJson(`/tenants/${t.id}/provisioning/hub-held-names/adopt`, { method: "POST", body: { all: true } });
    expect(all.adopted.map((a: { userName: string }) => a.userName)).toEqual(["bob@example.com", "cy@example.com", "late@example.com"]);
    expect(all.refused).toEqual([{ userName: "hr@example.com", reason: expect.stringMatching(/another integration/) }]);
    expect(all.more).toBe(false);
    list = await hubJson(`/tenants/${t.id}/provisioning/hub-held-names`);
    expect(list.items.map((i: { userName: string }) => i.userName)).toEqual(["hr@example.com"]);

    await runSync(t.id, { clock: later(2 * MIN) });
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(5); // no account was created: four adopted, one left alone
    for (const a of [...one.adopted, ...all.adopted]) expect(view.users.get(a.scimId)).toMatchObject({ id: a.hubId, externalRef: a.scimId });
    expect(view.users.get(one.adopted[0].scimId)).toMatchObject({ displayName: "Entra Ann" });
    expect(view.users.get("hr-import-1")).toMatchObject({ id: otherIntegration });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue).toEqual({ queued: 0, pending: 0, parked: 0 });
    // Entra's own retry of a create now finds the user in SCIM (409), not in the hub only.
    await expectScimError(await s.post("/Users", userPayload({ userName: "bob@example.com" })), 409, "uniqueness");
  });

  it("refuses names that are not listed, bad bodies, and tenants without a Device Hub", async () => {
    const { t } = await provisionedTenant();
    const res = await hubJson(`/tenants/${t.id}/provisioning/hub-held-names/adopt`, { method: "POST", body: { userNames: ["nobody@example.com"] } });
    expect(res).toEqual({ adopted: [], refused: [{ userName: "nobody@example.com", reason: expect.stringMatching(/not a hub-held name/) }], more: false });
    for (const body of [{}, { userNames: [] }, { all: false }, { userNames: ["a"], all: true }]) {
      expect((await hubAdmin(`/tenants/${t.id}/provisioning/hub-held-names/adopt`, { method: "POST", body })).status).toBe(400);
    }
    const bare = await newTenant();
    expect((await hubAdmin(`/tenants/${bare.id}/provisioning/hub-held-names/adopt`, { method: "POST", body: { all: true } })).status).toBe(409);
    expect(await hubJson(`/tenants/${bare.id}/provisioning/hub-held-names`)).toEqual({ items: [], truncated: false });
  });
});
