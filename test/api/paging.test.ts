import { describe, expect, it } from "vitest";
import { json } from "../support/http";
import { expectScimError, scim, unique, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

async function walk(t: Awaited<ReturnType<typeof newTenant>>, path: string, onPage?: (n: number) => Promise<void>) {
  const ids: string[] = [];
  let cursor = "";
  for (let page = 0; page < 50; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const res = await scim(t).get(`${path}${sep}count=3&cursor=${encodeURIComponent(cursor)}`);
    expect(res.status).toBe(200);
    const body = await json<Json>(res);
    expect(body.startIndex).toBeUndefined();
    ids.push(...body.Resources.map((r: Json) => r.id));
    await onPage?.(page);
    if (!body.nextCursor) return { ids, total: body.totalResults };
    cursor = body.nextCursor;
  }
  throw new Error("cursor walk did not end");
}

describe("cursor paging (RFC 9865)", () => {
  it("walks every user exactly once, and inserts during the walk never shift pages", async () => {
    const t = await newTenant();
    const users = await Promise.all(Array.from({ length: 10 }, () => scim(t).createUser()));
    const { ids } = await walk(t, "/Users", async () => {
      await scim(t).createUser(); // concurrent inserts while paging
    });
    expect(new Set(ids).size).toBe(ids.length);
    for (const u of users) expect(ids).toContain(u.id);
    expect(ids).toEqual([...ids].sort());
  });

  it("keeps the filter across pages and works on Groups and .search", async () => {
    const t = await newTenant();
    const keep = await Promise.all(Array.from({ length: 5 }, () => scim(t).createUser({ title: "keep" })));
    await Promise.all(Array.from({ length: 4 }, () => scim(t).createUser({ title: "other" })));
    const { ids, total } = await walk(t, `/Users?filter=${encodeURIComponent('title eq "keep"')}`);
    expect(total).toBe(5);
    expect(ids.sort()).toEqual(keep.map((u) => u.id).sort());
    await Promise.all(Array.from({ length: 4 }, () => scim(t).createGroup()));
    expect((await walk(t, "/Groups?excludedAttributes=members")).ids).toHaveLength(4);
    const first = await json<Json>(await scim(t).post("/Users/.search", { count: 2, cursor: "" }));
    const second = await json<Json>(await scim(t).post("/Users/.search", { count: 2, cursor: first.nextCursor }));
    expect(second.Resources[0].id > first.Resources[1].id).toBe(true);
  });

  it("rejects tampered, foreign and mismatched cursors with 400 invalidCursor", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    for (let i = 0; i < 3; i++) await scim(a).createUser();
    const page = await json<Json>(await scim(a).get("/Users?count=1&cursor="));
    const cursor: string = page.nextCursor;
    const [h, p, s] = cursor.split(".");
    const tampered = `${h}.${p!.slice(0, -2)}AA.${s}`;
    await expectScimError(await scim(a).get(`/Users?count=1&cursor=${tampered}`), 400, "invalidCursor");
    await expectScimError(await scim(a).get(`/Users?count=1&cursor=garbage`), 400, "invalidCursor");
    await expectScimError(await scim(b).get(`/Users?count=1&cursor=${cursor}`), 400, "invalidCursor", /different query/);
    await expectScimError(await scim(a).get(`/Users?count=1&cursor=${cursor}&filter=${encodeURIComponent('active eq true')}`), 400, "invalidCursor");
    await expectScimError(await scim(a).get(`/Users?count=1&cursor=&sortBy=userName`), 400, "invalidValue", /sortBy/);
    expect((await scim(a).get(`/Users?count=1&cursor=${cursor}`)).status).toBe(200);
  });

  it("ServiceProviderConfig advertises both paging methods", async () => {
    const t = await newTenant();
    const spc = await json<Json>(await scim(t).get("/ServiceProviderConfig"));
    expect(spc.pagination).toMatchObject({ cursor: true, index: true, cursorTimeout: 3600, maxPageSize: 200 });
    expect(spc.filter).toEqual({ supported: true, maxResults: 200 });
  });
});

describe("lookups by a unique attribute (userName, id, a group's displayName)", () => {
  // They take a shorter path than other filters (one row at most: no count, no sort, no walk
  // memory); each answer must be the one any other filter matching the same resource gives.
  it("answer as a list of the same resource would, whatever the paging parameters", async () => {
    const t = await newTenant();
    // A userName beyond ASCII: the lookup folds case as the stored column does (É → é).
    const user = await scim(t).createUser({ userName: `${unique("Émile")}@example.com` });
    // Several groups, so the order of `groups` (by the lower-cased displayName, compared as SQLite
    // compares text: UTF-8 bytes) is checked too, beyond ASCII and beyond U+FFFF.
    const [group] = await Promise.all(
      ["b", "A", "\u{1F600}", "é", "\uFF21"].map((prefix) => scim(t).createGroup({ displayName: unique(prefix), members: [{ value: user.id }] })),
    );
    const list = async (path: string) => {
      const res = await scim(t).get(path);
      expect(res.status, await res.clone().text()).toBe(200);
      return json<Json>(res);
    };
    const byName = `filter=${encodeURIComponent(`userName eq "${user.userName.toUpperCase()}"`)}`;
    // Another filter that matches the same one user takes the general path: the same page.
    const general = await list(`/Users?filter=${encodeURIComponent(`externalId eq "${user.externalId}"`)}`);
    const names = general.Resources[0].groups.map((g: Json) => g.display);
    expect(names.map((n: string) => Array.from(n)[0])).toEqual(["A", "b", "é", "\uFF21", "\u{1F600}"]);
    expect(await list(`/Users?${byName}`)).toEqual(general);
    expect(await list(`/Users/${user.id}`)).toEqual(general.Resources[0]);
    expect(await list(`/Users?filter=${encodeURIComponent(`id eq "${user.id}" and active eq true`)}`)).toEqual(general);
    expect(await list(`/Users?${byName}&sortBy=name.familyName&sortOrder=descending`)).toEqual(general);
    expect(await list(`/Users?${byName}&attributes=userName`)).toEqual({
      ...general,
      Resources: [{ schemas: general.Resources[0].schemas, id: user.id, userName: user.userName }],
    });
    expect(await json<Json>(await scim(t).post("/Users/.search", { filter: `userName eq "${user.userName}"` }))).toEqual(general);
    // Past the one match, and counts only.
    expect(await list(`/Users?${byName}&startIndex=2`)).toMatchObject({ totalResults: 1, startIndex: 2, itemsPerPage: 0, Resources: [] });
    const counted = await list(`/Users?${byName}&count=0`);
    expect(counted.totalResults).toBe(1);
    expect(counted.Resources ?? []).toEqual([]);
    // A miss, and a unique term ANDed with one that fails.
    expect(await list(`/Users?filter=${encodeURIComponent('userName eq "nobody@example.com"')}`)).toMatchObject({ totalResults: 0, Resources: [] });
    expect(await list(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName}" and active eq false`)}`)).toMatchObject({ totalResults: 0 });
    // Refusals stay what they are on every list.
    await expectScimError(await scim(t).get(`/Users?${byName}&sortBy=nonsense`), 400, "invalidValue", /sortBy/);
    await expectScimError(await scim(t).get(`/Users?filter=${encodeURIComponent('userName eq "x" and nonsense eq 1')}`), 400, "invalidFilter");
    // Groups by displayName, members included.
    const groups = await list(`/Groups?filter=${encodeURIComponent(`displayName eq "${group!.displayName.toUpperCase()}"`)}`);
    expect(groups.totalResults).toBe(1);
    expect(groups.Resources[0]).toMatchObject({ id: group!.id, members: [expect.objectContaining({ value: user.id })] });
    expect(groups).toEqual(await list(`/Groups?filter=${encodeURIComponent(`externalId pr or id eq "${group!.id}"`)}`));
  });
});
