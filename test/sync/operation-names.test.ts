// Names, not ids: the hub operations and parked items the console and the portal list carry the
// user's userName or the group's displayName beside the SCIM id (issue 24).
import { describe, expect, it } from "vitest";
import { tenantWithOneFailingUpdate } from "../support/failing-user";
import { hubJson, later, provisionedTenant, runSync } from "../support/run-cron";
import { scim, type Json } from "../support/scim";

const MIN = 60_000;

describe("hub operations name their users and groups", () => {
  it("the provisioning log gives userName / displayName beside each SCIM id", async () => {
    const { t } = await provisionedTenant();
    const s = scim(t);
    const user = await s.createUser();
    const group = await s.createGroup({ displayName: "Field Sales", members: [{ value: user.id }] });
    await runSync(t.id);
    const { entries } = await hubJson(`/tenants/${t.id}/provisioning/logs`);
    const byId = (id: string) => entries.filter((e: Json) => e.scimId === id);
    expect(byId(user.id).length).toBeGreaterThan(0);
    expect(byId(user.id).every((e: Json) => e.name === user.userName)).toBe(true);
    expect(byId(group.id).length).toBeGreaterThan(0);
    expect(byId(group.id).every((e: Json) => e.name === "Field Sales")).toBe(true);
  });

  it("a parked item names its user", async () => {
    const { t, a } = await tenantWithOneFailingUpdate();
    for (let hour = 0; hour < 5; hour++) await runSync(t.id, { clock: later(hour * 60 * MIN) });
    const parked = await hubJson(`/tenants/${t.id}/provisioning/parked`);
    expect(parked.items).toEqual([expect.objectContaining({ resourceId: a.id, name: a.userName, memberName: null })]);
  });
});
