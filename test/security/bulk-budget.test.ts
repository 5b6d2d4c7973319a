// Issue 23, finding 4: a Bulk request is charged one rate-limit unit per operation, so Bulk cannot
// go around the tenant's tier; one whose operations exceed what is left is refused whole with 429
// + Retry-After and writes nothing. And a forward bulkId chain (each operation naming the next)
// resolves, every operation once, in request order in the response.
// The "restricted" tier is 5 a minute per tenant and 3 per client in test/vitest.config.ts.
import { describe, expect, it } from "vitest";
import { admin, call, json } from "../support/http";
import { inOneRateWindow } from "../support/rate-window";
import { groupPayload, scim, userPayload, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const bulk = (operations: Json[]) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: operations });
const creates = (n: number) => Array.from({ length: n }, (_, i) => ({ method: "POST", path: "/Users", bulkId: `u${i}`, data: userPayload() }));

describe("Bulk and the rate limit", () => {
  it("is charged per operation: a Bulk of more operations than the budget left is 429 with Retry-After and writes nothing", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      expect((await admin(`/tenants/${t.id}/rate-limit`, { method: "PUT", body: { tier: "restricted" } })).status).toBe(200);
      const api = scim(t);
      // 4 operations against a client share of 3.
      const refused = await api.post("/Bulk", bulk(creates(4)));
      expect(refused.status, await refused.clone().text()).toBe(429);
      expect(refused.headers.get("Retry-After")).toMatch(/^[1-9][0-9]*$/);
      const body = await json<Json>(refused);
      expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
      expect(body.detail).toMatch(/4 operations/);
      const count = await admin(`/tenants/${t.id}/export`);
      expect((await count.text()).includes('"userName"')).toBe(false);
    });
  });

  it("two operations spend two units: after them one single request fits the client's share, the next is 429", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      expect((await admin(`/tenants/${t.id}/rate-limit`, { method: "PUT", body: { tier: "restricted" } })).status).toBe(200);
      const api = scim(t);
      const ok = await api.post("/Bulk", bulk(creates(2)));
      expect(ok.status, await ok.clone().text()).toBe(200);
      expect((await json<Json>(ok)).Operations.map((o: Json) => o.status)).toEqual(["201", "201"]);
      expect((await api.get("/Users?count=1")).status).toBe(200);
      expect((await api.get("/Users?count=1")).status).toBe(429);
    });
  });
});

describe("Bulk forward references", () => {
  it("a chain where each group names the next one's bulkId resolves completely, results in request order", async () => {
    const t = await newTenant();
    const n = 60;
    // g0 → g1 → … → g59 (members), the last a plain group: the worst order for one pass at a time.
    const ops = Array.from({ length: n }, (_, i) => ({
      method: "POST",
      path: "/Groups",
      bulkId: `g${i}`,
      data: groupPayload(i + 1 < n ? { members: [{ value: `bulkId:g${i + 1}`, type: "Group" }] } : {}),
    }));
    const res = await scim(t).post("/Bulk", bulk(ops));
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json<Json>(res);
    expect(body.Operations.map((o: Json) => o.bulkId)).toEqual(ops.map((o) => o.bulkId));
    expect(new Set(body.Operations.map((o: Json) => o.status))).toEqual(new Set(["201"]));
    const first = await json<Json>(await call(body.Operations[0].location.replace("https://scim.test", ""), { token: t.token }));
    expect(first.members?.[0]?.value).toBe(body.Operations[1].location.split("/").pop());
  });
});
