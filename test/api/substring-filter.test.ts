// Substring filters through the public API: the trigram index follows every kind of user write
// (create, replace, PATCH, delete, Bulk) within the write itself, in any case and script.
import { describe, expect, it } from "vitest";
import { json } from "../support/http";
import { patchOp, scim, userPayload, type Json } from "../support/scim";
import { newTenant, type TestTenant } from "../support/tenant";

async function found(t: TestTenant, filter: string): Promise<string[]> {
  const res = await scim(t).get(`/Users?excludedAttributes=groups&filter=${encodeURIComponent(filter)}`);
  expect(res.status, await res.clone().text()).toBe(200);
  const body = await json<{ totalResults: number; Resources?: Json[] }>(res);
  const ids = (body.Resources ?? []).map((r) => r.id as string).sort();
  expect(body.totalResults).toBe(ids.length);
  return ids;
}

describe("co / sw / ew follow every write", () => {
  it("create, replace, PATCH and delete", async () => {
    const t = await newTenant();
    const tag = crypto.randomUUID().slice(0, 8);
    const user = await scim(t).createUser(userPayload({
      userName: `Anna.${tag}@Contoso.example`,
      emails: [{ value: `anna.${tag}@contoso.example`, type: "work" }],
      name: { givenName: "Änne", familyName: `Straße${tag}` },
    }));
    await scim(t).createUser(); // an unrelated user in the same tenant
    expect(await found(t, `userName co "NA.${tag.toUpperCase()}@con"`)).toEqual([user.id]);
    expect(await found(t, `emails.value sw "anna.${tag}"`)).toEqual([user.id]);
    expect(await found(t, `name.familyName co "raße${tag}"`)).toEqual([user.id]);
    expect(await found(t, `name.givenName ew "nne"`)).toEqual([user.id]);

    const replaced = await scim(t).put(`/Users/${user.id}`, userPayload({
      userName: `bert.${tag}@fabrikam.example`,
      emails: [{ value: `bert.${tag}@fabrikam.example`, type: "work" }],
    }));
    expect(replaced.status).toBe(200);
    expect(await found(t, `userName co "${tag}@con"`)).toEqual([]);
    expect(await found(t, `emails co "${tag}@fabrikam"`)).toEqual([user.id]);
    expect(await found(t, `name.familyName co "raße${tag}"`)).toEqual([]);

    const patched = await scim(t).patch(`/Users/${user.id}`, patchOp({ op: "replace", path: "displayName", value: `Σίσυφος ${tag}` }));
    expect(patched.status).toBe(200);
    expect(await found(t, `displayName co "σίσυφος ${tag}"`)).toEqual([user.id]);
    expect(await found(t, `not (displayName co "σίσυφος ${tag}") and userName co "${tag}"`)).toEqual([]);

    expect((await scim(t).delete(`/Users/${user.id}`)).status).toBe(204);
    expect(await found(t, `emails co "${tag}@fabrikam"`)).toEqual([]);
    expect(await found(t, `displayName co "${tag}"`)).toEqual([]);
  });

  it("Bulk creates are searchable at once, and another tenant's users never show", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const tag = crypto.randomUUID().slice(0, 8);
    await scim(other).createUser(userPayload({ userName: `shared-${tag}@x.example` }));
    const res = await scim(t).post("/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [0, 1, 2].map((i) => ({
        method: "POST", path: "/Users", bulkId: `b${i}`,
        data: userPayload({ userName: `shared-${tag}-${i}@x.example`, externalId: `EXT-${tag}-${i}` }),
      })),
    });
    expect(res.status).toBe(200);
    expect(await found(t, `userName sw "shared-${tag}"`)).toHaveLength(3);
    expect(await found(t, `externalId ew "${tag}-2"`)).toHaveLength(1);
    expect(await found(t, `externalId co "ext-${tag}"`)).toEqual([]); // externalId is case-exact
    expect(await found(other, `userName sw "shared-${tag}"`)).toHaveLength(1);
  });
});
