// startIndex walks that continue where the previous page ended (src/scim/storage/list-walk.ts) give
// exactly the pages OFFSET gives: when the tenant's users change between pages, the remembered
// position is dropped and the page is read by position; a filtered walk's remembered
// totalResults follows creates, deletes and updates.
import { describe, expect, it } from "vitest";
import { json } from "../support/http";
import { patchOp, scim, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

async function page(t: Awaited<ReturnType<typeof newTenant>>, query: string) {
  const res = await scim(t).get(`/Users?excludedAttributes=groups&${query}`);
  expect(res.status).toBe(200);
  const body = await json<Json>(res);
  return { total: body.totalResults as number, ids: (body.Resources as Json[]).map((r) => r.id as string) };
}

describe("startIndex walks", () => {
  it("give the OFFSET page after a create or delete between pages", async () => {
    const t = await newTenant();
    const api = scim(t);
    for (let i = 0; i < 9; i++) await api.createUser();
    const all = async () => (await page(t, "count=200")).ids;

    const first = await page(t, "startIndex=1&count=3");
    expect(first.ids).toEqual((await all()).slice(0, 3));
    // A user of the first page goes: the next page by position starts one row later.
    expect((await api.delete(`/Users/${first.ids[1]}`)).status).toBe(204);
    const second = await page(t, "startIndex=4&count=3");
    expect(second.ids).toEqual((await all()).slice(3, 6));
    expect(second.total).toBe(8);
    // A new user (its id may sort anywhere): again the page by position.
    await api.createUser();
    const third = await page(t, "startIndex=7&count=3");
    expect(third.ids).toEqual((await all()).slice(6, 9));
    expect(third.total).toBe(9);
    // No change in between: the walk continues, same answer as by position.
    expect((await page(t, "startIndex=4&count=3")).ids).toEqual((await all()).slice(3, 6));
    expect((await page(t, "startIndex=7&count=3")).ids).toEqual((await all()).slice(6, 9));
  });

  it("a filtered walk's totalResults follows an update that moves a user out of the filter", async () => {
    const t = await newTenant();
    const api = scim(t);
    const keep = [];
    for (let i = 0; i < 6; i++) keep.push(await api.createUser({ title: "keep" }));
    const filter = `filter=${encodeURIComponent('title eq "keep"')}`;
    expect((await page(t, `${filter}&startIndex=1&count=2`)).total).toBe(6);
    expect((await page(t, `${filter}&startIndex=3&count=2`)).total).toBe(6);
    const moved = (await page(t, `${filter}&count=200`)).ids[0]!;
    expect((await api.patch(`/Users/${moved}`, patchOp({ op: "replace", path: "title", value: "gone" }))).status).toBe(200);
    const after = await page(t, `${filter}&startIndex=3&count=2`);
    expect(after.total).toBe(5);
    expect(after.ids).toEqual((await page(t, `${filter}&count=200`)).ids.slice(2, 4));
  });
});
