// The Device Hub emulator's user fields beyond the basic profile (mobile phone, language, country,
// floor, office location, work mode) and its naming rules (400 naming_rule_violation), through
// its HTTP surface (env.DEVICE_HUB). Every test uses a fresh API key = an empty workspace.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

type Json = Record<string, any>;
const BASE = "http://device-hub";

function workspace(key = `key-${crypto.randomUUID()}`) {
  const send = async (method: string, path: string, body?: unknown) => {
    if (!env.DEVICE_HUB) throw new Error("DEVICE_HUB binding missing (test/vitest.config.ts)");
    const res = await env.DEVICE_HUB.fetch(`${BASE}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
  };
  return {
    post: (path: string, body: unknown) => send("POST", path, body),
    patch: (path: string, body: unknown) => send("PATCH", path, body),
    get: (path: string) => send("GET", path),
    state: async () => (await send("GET", "/__control/state")).body as { users: Json[] },
  };
}

const FIELDS = { mobilePhone: "+44 7700 900123", preferredLanguage: "de-CH", country: "CH", floor: "3", officeLocation: "Zürich HQ", workMode: "hybrid" };
const user = (n: number, extra: Json = {}) => ({ externalRef: `scim-${n}`, userName: `user${n}@example.com`, ...extra });

describe("device hub emulator: hub user fields", () => {
  it("stores the new fields on create, returns them, patches them, and shows them in the control state", async () => {
    const hub = workspace();
    const created = await hub.post("/v1/users", user(1, FIELDS));
    expect(created).toMatchObject({ status: 201, body: { ...FIELDS, version: 1 } });
    const patched = await hub.patch(`/v1/users/${created.body.id}`, { floor: "4", workMode: null });
    expect(patched).toMatchObject({ status: 200, body: { ...FIELDS, floor: "4", workMode: null, version: 2 } });
    expect((await hub.get(`/v1/users/${created.body.id}`)).body).toEqual(patched.body);
    expect((await hub.state()).users).toEqual([patched.body]);
  });

  it("answers null for fields never sent, and refuses fields that are not strings", async () => {
    const hub = workspace();
    const created = await hub.post("/v1/users", user(1));
    expect(created.body).toMatchObject({ mobilePhone: null, preferredLanguage: null, country: null, floor: null, officeLocation: null, workMode: null });
    expect(await hub.post("/v1/users", user(2, { floor: 3 }))).toMatchObject({ status: 400, body: { error: { code: "invalid_request", message: expect.stringContaining("floor") } } });
  });
});

describe("device hub emulator: naming rules", () => {
  it.each([
    ["an underscore in the first name", { givenName: "Ann_Marie" }, "givenName", ["_"]],
    ["an apostrophe in the last name", { familyName: "O'Brien" }, "familyName", ["'"]],
    ["an at sign in a name", { givenName: "Ann@" }, "givenName", ["@"]],
    ["a banned character in the email", { email: "ann#1@example.com" }, "email", ["#"]],
    ["several banned characters in the email", { email: "a(b)c,d@example.com" }, "email", ["(", ")", ","]],
  ])("answers 400 naming_rule_violation for %s and stores nothing", async (_label, fields, field, characters) => {
    const hub = workspace();
    const res = await hub.post("/v1/users", user(1, fields));
    expect(res).toMatchObject({
      status: 400,
      body: { error: { code: "naming_rule_violation", message: expect.stringContaining(field), details: { violations: [{ field, characters }] } } },
    });
    expect((await hub.state()).users).toEqual([]);
  });

  it("accepts letters of any script, digits, spaces and . , - in names", async () => {
    const hub = workspace();
    const ok = { givenName: "José-Marie 2nd.", familyName: "Ångström, Müller Łukasz Дмитрий 김", email: "jose.marie-2+tag@example.com" };
    expect(await hub.post("/v1/users", user(1, ok))).toMatchObject({ status: 201, body: ok });
  });

  it("checks a PATCH of a name or email, and per item in a batch", async () => {
    const hub = workspace();
    const u = (await hub.post("/v1/users", user(1, { givenName: "Ann" }))).body;
    expect(await hub.patch(`/v1/users/${u.id}`, { givenName: "Ann_Marie" })).toMatchObject({ status: 400, body: { error: { code: "naming_rule_violation" } } });
    expect(await hub.patch(`/v1/users/${u.id}`, { email: "ann;b@example.com" })).toMatchObject({ status: 400, body: { error: { code: "naming_rule_violation" } } });
    expect((await hub.get(`/v1/users/${u.id}`)).body).toMatchObject({ givenName: "Ann", email: null, version: 1 });
    const batch = await hub.post("/v1/users/batch", { users: [user(2), user(3, { familyName: "Smith_" }), user(4)] });
    expect((batch.body.results as Json[]).map((r) => [r.index, r.status, r.error?.code])).toEqual([[0, 201, undefined], [1, 400, "naming_rule_violation"], [2, 201, undefined]]);
  });
});
