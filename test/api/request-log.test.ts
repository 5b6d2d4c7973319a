// The customer's request log (GET /admin/v1/tenants/{id}/requests, shown in the portal and the
// console): the tenant's recent SCIM writes from the audit log, each with the user's userName or
// the group's displayName beside its SCIM id, and for every failure one plain sentence in Entra's
// terms; filters (failures only, one user), paging, and the last hour's failure rate next to
// Entra's quarantine rule.
import { describe, expect, it } from "vitest";
import { admin, json } from "../support/http";
import { patchOp, scim, userPayload, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";
import { provisionedTenant, runSync } from "../support/run-cron";

/** The audit row is written after the response (waitUntil): wait until `n` rows are there. */
async function requests(tenantId: string, query = "", atLeast = 1): Promise<Json> {
  let body: Json = { entries: [] };
  for (let i = 0; i < 100; i++) {
    body = await json<Json>(await admin(`/tenants/${tenantId}/requests${query}`));
    if (body.entries.length >= atLeast) return body;
    await new Promise((r) => setTimeout(r, 20));
  }
  return body;
}

describe("the request log", () => {
  it("lists SCIM writes with names beside ids, and a plain-words reason for each failure", async () => {
    const t = await newTenant();
    const s = scim(t);
    const ann = await s.createUser({ userName: "ann@corp.example" });
    const group = await s.createGroup({ displayName: "Sales EMEA" });
    expect((await s.post("/Users", userPayload({ userName: "ANN@corp.example" }))).status).toBe(409);
    expect((await s.patch(`/Users/${crypto.randomUUID()}`, patchOp({ op: "replace", path: "active", value: false }))).status).toBe(404);
    expect((await s.patch(`/Users/${ann.id}`, patchOp({ op: "replace", path: "displayName", value: "Ann" }))).status).toBe(200);

    const body = await requests(t.id, "", 5);
    const [patched, missing, duplicate, groupCreated, annCreated] = body.entries;
    expect(annCreated).toMatchObject({ method: "POST", resourceType: "User", resourceId: ann.id, name: "ann@corp.example", status: 201, reason: null });
    expect(groupCreated).toMatchObject({ resourceType: "Group", resourceId: group.id, name: "Sales EMEA", status: 201 });
    expect(duplicate).toMatchObject({ status: 409, name: "ANN@corp.example", resourceId: null });
    expect(duplicate.reason).toBe("409: this service already has a user called ANN@corp.example (Entra did not match it: check the matching attribute)");
    expect(missing).toMatchObject({ method: "PATCH", status: 404, name: null });
    expect(missing.reason).toMatch(/^404: there is no user with id .+ here/);
    // A PATCH carries no userName: the name comes from the user as it is now.
    expect(patched).toMatchObject({ method: "PATCH", resourceId: ann.id, name: "ann@corp.example", status: 200, reason: null });
    // No bodies, no secrets: only these fields.
    expect(Object.keys(annCreated).sort()).toEqual(["at", "clientId", "method", "name", "reason", "requestId", "resourceId", "resourceType", "status"]);
  });

  it("filters failures only and one user (by SCIM id or by userName), pages, and counts the last hour", async () => {
    const t = await newTenant();
    const s = scim(t);
    const bob = await s.createUser({ userName: "bob@corp.example" });
    for (let i = 0; i < 3; i++) await s.patch(`/Users/${bob.id}`, patchOp({ op: "replace", path: "title", value: `T${i}` }));
    expect((await s.post("/Users", userPayload({ userName: "bob@corp.example" }))).status).toBe(409);
    await s.createUser();
    const all = await requests(t.id, "", 6);
    expect(all.entries).toHaveLength(6);
    expect(all.lastHour).toEqual({ requests: 6, failures: 1, failureRate: 1 / 6, quarantineThreshold: 0.4, overThreshold: false });

    const failures = await requests(t.id, "?failures=true");
    expect(failures.entries.map((e: Json) => e.status)).toEqual([409]);
    const byId = await requests(t.id, `?resource=${bob.id}`, 4);
    expect(byId.entries.map((e: Json) => e.method)).toEqual(["PATCH", "PATCH", "PATCH", "POST"]);
    const byName = await requests(t.id, `?resource=${encodeURIComponent("BOB@corp.example")}`, 5);
    expect(byName.entries).toHaveLength(5); // its writes and the refused duplicate create

    const page1 = await requests(t.id, "?count=4", 4);
    expect(page1.entries).toHaveLength(4);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await requests(t.id, `?count=4&cursor=${encodeURIComponent(page1.nextCursor)}`);
    expect(page2.entries).toHaveLength(2);
    expect(page2.nextCursor).toBeNull();
    expect([...page1.entries, ...page2.entries].map((e: Json) => e.requestId)).toEqual(all.entries.map((e: Json) => e.requestId));
  });

  it("says when the Device Hub holds the name, in the words Entra's provisioning log needs", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    await hub.api("POST", "/v1/users", { userName: "ann@corp.example" });
    expect((await scim(t).post("/Users", userPayload({ userName: "ann@corp.example" }))).status).toBe(409);
    const [entry] = (await requests(t.id, "?failures=true")).entries;
    expect(entry.reason).toBe("409: the Device Hub already has a user called ann@corp.example");
  });

  it("crosses the quarantine line when more than 40 % of the last hour's writes failed", async () => {
    const t = await newTenant();
    const s = scim(t);
    await s.createUser({ userName: "one@corp.example" });
    for (let i = 0; i < 2; i++) expect((await s.post("/Users", userPayload({ userName: "one@corp.example" }))).status).toBe(409);
    const body = await requests(t.id, "", 3);
    expect(body.lastHour).toMatchObject({ requests: 3, failures: 2, overThreshold: true });
  });

  it("holds only the tenant's own writes; an unknown tenant is 404, a bad count 400", async () => {
    const t = await newTenant();
    const other = await newTenant();
    await scim(other).createUser();
    expect((await requests(other.id)).entries).toHaveLength(1);
    expect((await json<Json>(await admin(`/tenants/${t.id}/requests`))).entries).toEqual([]);
    expect((await admin(`/tenants/${crypto.randomUUID()}/requests`)).status).toBe(404);
    expect((await admin(`/tenants/${t.id}/requests?count=0`)).status).toBe(400);
  });
});
