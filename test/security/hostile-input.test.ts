// Hostile and odd input: every answer is a SCIM error (never a 500, never a stack or SQL text),
// and nothing is written.
import { describe, expect, it } from "vitest";
import { call, json } from "../support/http";
import { expectScimError, patchOp, scim, userPayload, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const noLeak = (text: string) => {
  expect(text).not.toMatch(/SQLITE|sqlite|D1_|at .*\.ts:\d+|stack|SELECT |INSERT /);
};

describe("hostile input", () => {
  it("SQL-like values in filters are data, not SQL", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    for (const value of [`x" or "1"="1`, `'; DROP TABLE users; --`, `%`, `_`, `\\`, `") or 1=1 --`]) {
      const filter = `userName eq ${JSON.stringify(value)}`;
      const res = await scim(t).get(`/Users?filter=${encodeURIComponent(filter)}`);
      expect(res.status, filter).toBe(200);
      expect((await json<Json>(res)).totalResults, filter).toBe(0);
    }
    const co = await json<Json>(await scim(t).get(`/Users?filter=${encodeURIComponent('userName co "%"')}`));
    expect(co.totalResults).toBe(0);
    expect((await scim(t).get(`/Users/${user.id}`)).status).toBe(200);
  });

  it("malformed filters are 400 invalidFilter naming the problem", async () => {
    const t = await newTenant();
    const cases: [string, RegExp][] = [
      ['userName eq "unterminated', /unterminated/],
      ["userName zz \"x\"", /operator/],
      ["(userName eq \"x\"", /"\)"/],
      ["nosuchattr eq \"x\"", /nosuchattr/],
      ["emails[type eq \"work\"", /"\]"/],
      ["active gt true", /gt/],
      ["userName eq \"a\" and", /end of filter|value|attribute/],
      ["(".repeat(40) + 'userName eq "x"' + ")".repeat(40), /deeper/],
      [Array.from({ length: 60 }, (_, i) => `userName eq "u${i}"`).join(" or "), /comparisons/],
    ];
    for (const [filter, detail] of cases) {
      await expectScimError(await scim(t).get(`/Users?filter=${encodeURIComponent(filter)}`), 400, "invalidFilter", detail);
    }
  });

  it("oversized and deeply nested bodies are rejected before work", async () => {
    const t = await newTenant();
    const big = JSON.stringify(userPayload({ title: "x".repeat(1_100_000) }));
    await expectScimError(await call("/scim/v2/Users", { method: "POST", token: t.token, rawBody: big, headers: { "Content-Type": "application/scim+json" } }), 413);
    let deep: unknown = "x";
    for (let i = 0; i < 100; i++) deep = { a: deep };
    await expectScimError(await scim(t).post("/Users", userPayload({ title: deep })), 400, "invalidSyntax", /nesting/);
    expect((await json<Json>(await scim(t).get("/Users"))).totalResults).toBe(0);
  });

  it("wrong JSON types are 400 invalidValue, not 500", async () => {
    const t = await newTenant();
    const bodies = [
      userPayload({ userName: 42 }),
      userPayload({ active: "maybe" }),
      userPayload({ emails: "not-a-list" }),
      userPayload({ name: "flat" }),
      userPayload({ emails: [{ value: "a@x", primary: true }, { value: "b@x", primary: true }] }),
    ];
    for (const body of bodies) {
      const res = await scim(t).post("/Users", body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      noLeak(await res.text());
    }
    for (const raw of ["[]", "null", "42", '"x"']) {
      const res = await call("/scim/v2/Users", { method: "POST", token: t.token, rawBody: raw, headers: { "Content-Type": "application/scim+json" } });
      expect(res.status, raw).toBe(400);
    }
    expect((await json<Json>(await scim(t).get("/Users"))).totalResults).toBe(0);
  });

  it("bad PATCH requests are 400 with the right scimType and write nothing", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    const cases: [unknown, string][] = [
      [{ Operations: "x" }, "invalidSyntax"],
      [patchOp({ op: "jump", path: "title", value: "x" }), "invalidSyntax"],
      [patchOp({ op: "remove" }), "noTarget"],
      [patchOp({ op: "replace", path: "id", value: "x" }), "mutability"],
      [patchOp({ op: "replace", path: "meta.created", value: "x" }), "mutability"],
      [patchOp({ op: "replace", path: "nosuch", value: "x" }), "invalidPath"],
      [patchOp({ op: "replace", path: "emails[type eq", value: "x" }), "invalidPath"],
      [patchOp({ op: "replace", path: "title", value: "ok" }, { op: "replace", path: "active", value: "maybe" }), "invalidValue"],
    ];
    for (const [body, scimType] of cases) {
      await expectScimError(await scim(t).patch(`/Users/${user.id}`, body), 400, scimType);
    }
    const after = await json<Json>(await scim(t).get(`/Users/${user.id}`));
    expect(after.meta.version).toBe(user.meta.version);
    expect(after.title).toBeUndefined();
  });

  it("odd paging and sorting values never fail with 500", async () => {
    const t = await newTenant();
    await scim(t).createUser();
    for (const q of ["startIndex=0", "startIndex=99999999", "count=0", "count=-5", "count=1e9", "startIndex=1.7", "sortBy=userName&sortOrder=DESCENDING"]) {
      expect((await scim(t).get(`/Users?${q}`)).status, q).toBe(200);
    }
    await expectScimError(await scim(t).get("/Users?sortOrder=sideways"), 400, "invalidValue");
    await expectScimError(await scim(t).get("/Users?sortBy=emails"), 400, "invalidValue");
  });
});
