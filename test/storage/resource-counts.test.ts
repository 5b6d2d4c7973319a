// The maintained per-tenant counts (resource_counts, migration 0017) agree with count(*) after a
// random mix of writes through every path that creates or deletes users and groups: SCIM POST and
// DELETE, Bulk, refused writes (nothing counted), and the offboarding purge in chunks. The tenant
// move's copy, replay and purge are checked in test/storage/tenant-move.test.ts.
import { describe, expect, it } from "vitest";
import { purgeTenantRound } from "../../src/tenancy/storage/tenant-purge";
import { createDb } from "../../src/platform/d1/db";
import { admin, json } from "../support/http";
import { resourceCounts } from "../support/resource-counts";
import { groupPayload, scim, userPayload, type Json } from "../support/scim";
import { tenantD1 } from "../support/shard";
import { newTenant } from "../support/tenant";

/** mulberry32: a small seeded generator, so every run makes the same writes. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("maintained counts", () => {
  it("agree with count(*) after 80 random creates and deletes (fixed seed), and the lists answer from them", async () => {
    const t = await newTenant();
    const api = scim(t);
    const d1 = await tenantD1(t.id);
    const random = seeded(26);
    const users: string[] = [];
    const groups: string[] = [];
    const pick = (list: string[]) => list.splice(Math.floor(random() * list.length), 1)[0];
    for (let step = 0; step < 80; step++) {
      const r = random();
      if (r < 0.35) {
        users.push((await api.createUser()).id);
      } else if (r < 0.5 && users.length) {
        expect((await api.delete(`/Users/${pick(users)}`)).status).toBe(204);
      } else if (r < 0.62) {
        // A group with members: the member rows are not counted, the group is.
        groups.push((await api.createGroup({ members: users.slice(0, 3).map((value) => ({ value })) })).id);
      } else if (r < 0.7 && groups.length) {
        expect((await api.delete(`/Groups/${pick(groups)}`)).status).toBe(204);
      } else if (r < 0.8) {
        // Refused writes count nothing: a duplicate userName (409), an unknown member (400).
        const taken = users.length ? ((await json<Json>(await api.get(`/Users/${users[0]}`))).userName as string) : undefined;
        if (taken) expect((await api.post("/Users", userPayload({ userName: taken }))).status).toBe(409);
        expect((await api.post("/Groups", groupPayload({ members: [{ value: crypto.randomUUID() }] }))).status).toBe(400);
      } else {
        // Bulk: two creates and, when there is one, a delete, in one request.
        const victim = users.length ? pick(users) : undefined;
        const res = await api.post("/Bulk", {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
          Operations: [
            { method: "POST", path: "/Users", bulkId: "a", data: userPayload() },
            { method: "POST", path: "/Users", bulkId: "b", data: userPayload() },
            ...(victim ? [{ method: "DELETE", path: `/Users/${victim}` }] : []),
          ],
        });
        expect(res.status).toBe(200);
        const ops = (await json<Json>(res)).Operations as Json[];
        for (const op of ops.slice(0, 2)) {
          expect(op.status).toBe("201");
          users.push(String(op.location).split("/").at(-1)!);
        }
      }
      if (step % 10 === 9) {
        const counts = await resourceCounts(d1, t.id);
        expect(counts.maintained, `after step ${step}`).toEqual(counts.actual);
        expect(counts.actual).toEqual({ User: users.length, Group: groups.length });
      }
    }
    expect((await json<Json>(await api.get("/Users?count=0"))).totalResults).toBe(users.length);
    expect((await json<Json>(await api.get("/Groups?count=0"))).totalResults).toBe(groups.length);

    // Offboarding purges in chunks; the counts follow every chunk and go with the last row.
    expect((await admin(`/tenants/${t.id}`, { method: "DELETE" })).status).toBe(202);
    while ((await purgeTenantRound(createDb(d1), t.id, 7)) > 0) {
      const counts = await resourceCounts(d1, t.id);
      expect(counts.maintained).toEqual(counts.actual);
    }
    expect(await d1.prepare("SELECT count(*) AS n FROM resource_counts WHERE tenant_id = ?").bind(t.id).first("n")).toBe(0);
  });
});
