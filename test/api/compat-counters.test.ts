import { describe, expect, it } from "vitest";
import { admin, json } from "../support/http";
import { patchOp, scim, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

describe("Entra compatibility counters", () => {
  it("counts each rewrite per tenant and shows them through the admin API", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const user = await scim(t).createUser({ active: "True" });
    const group = await scim(t).createGroup({ members: [{ value: user.id }] });
    await scim(t).patch(`/Users/${user.id}`, patchOp({ op: "Replace", path: "active", value: "False" }));
    await scim(t).patch(`/Users/${user.id}`, patchOp({ op: "Replace", value: { "name.givenName": "X" } }));
    await scim(t).patch(`/Groups/${group.id}`, patchOp({ op: "Remove", path: "members", value: [{ value: user.id }] }));

    const res = await admin(`/tenants/${t.id}/compat`);
    expect(res.status).toBe(200);
    const { rewrites } = await json<{ rewrites: Json[] }>(res);
    const count = (name: string) => rewrites.find((r) => r.rewrite === name)?.count ?? 0;
    expect(count("booleanString")).toBe(2);
    expect(count("opCase")).toBe(3);
    expect(count("pathlessDottedKeys")).toBe(1);
    expect(count("membersRemoveWithValue")).toBe(1);
    for (const r of rewrites) expect(r.lastSeenAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const none = await json<{ rewrites: Json[] }>(await admin(`/tenants/${other.id}/compat`));
    expect(none.rewrites).toEqual([]);
    expect((await admin(`/tenants/${crypto.randomUUID()}/compat`)).status).toBe(404);
  });
});
