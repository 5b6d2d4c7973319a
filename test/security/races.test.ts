// Races (issue 6): D1 batches with unique indexes and version guards decide concurrent writes.
// Parallel creates of one userName → one 201; concurrent PATCH with one If-Match → one winner and
// 412s; parallel member adds to one group all stick.
import { describe, expect, it } from "vitest";
import { json } from "../support/http";
import { patchOp, scim, unique, userPayload, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const N = 12;

describe("races", () => {
  it("parallel creates of one userName give exactly one 201 and 409 uniqueness for the rest", async () => {
    const t = await newTenant();
    const body = userPayload({ userName: `${unique("race")}@example.com` });
    const results = await Promise.all(Array.from({ length: N }, () => scim(t).post("/Users", body)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(N - 1);
    const conflict = results.find((r) => r.status === 409)!;
    expect(await json(conflict)).toMatchObject({ status: "409", scimType: "uniqueness" });
    const list = await json<Json>(await scim(t).get(`/Users?filter=${encodeURIComponent(`userName eq "${body.userName}"`)}`));
    expect(list.totalResults).toBe(1);
  });

  it("concurrent PATCHes with the same If-Match: exactly one succeeds, the rest are 412", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    const etag = (user.meta as Json).version as string;
    expect(etag).toMatch(/^W\/"/);
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        scim(t).patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "displayName", value: `winner-${i}` }), { "If-Match": etag }),
      ),
    );
    const ok = results.filter((r) => r.status === 200 || r.status === 204);
    const failed = results.filter((r) => r.status === 412);
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(N - 1);
    expect(await json(failed[0]!)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "412" });
    // The stored value is the winner's, and the version moved on exactly once.
    const after = await json<Json>(await scim(t).get(`/Users/${user.id}`));
    const winner = results.indexOf(ok[0]!);
    expect(after.displayName).toBe(`winner-${winner}`);
    expect((after.meta as Json).version).not.toBe(etag);
  });

  it("parallel member adds to one group all stick", async () => {
    const t = await newTenant();
    const users = await Promise.all(Array.from({ length: N }, () => scim(t).createUser()));
    const group = await scim(t).createGroup();
    const results = await Promise.all(
      users.map((u) => scim(t).patch(`/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: u.id }] }))),
    );
    expect(results.map((r) => r.status).every((s) => s === 200 || s === 204)).toBe(true);
    const after = await json<Json>(await scim(t).get(`/Groups/${group.id}`));
    expect((after.members as Json[]).map((m) => m.value).sort()).toEqual(users.map((u) => u.id).sort());
  });
});
