// Hub-held userNames at the SCIM edge: a name a hub admin made a second ago is refused at once
// (409 uniqueness, asked live); with the hub down the mirror decides and the fallback is counted;
// only create and rename are checked; our own users never count; the "adopt" policy links the
// hub user instead; and re-using a name in one cycle converges without parking.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { ORIGIN } from "../support/http";
import { expectScimError, patchOp, scim, userPayload } from "../support/scim";
import { hubJson, hubView, later, provisionedTenant, runSync } from "../support/run-cron";

const MIN = 60_000;

describe("SCIM userNames the Device Hub holds", () => {
  it("a create of a name a hub admin made one second earlier is 409, with no sync involved", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    await hub.api("POST", "/v1/users", { userName: "Made.By.Admin@example.com" });
    const res = await scim(t).post("/Users", userPayload({ userName: "made.by.admin@example.com" }));
    await expectScimError(res, 409, "uniqueness", /Device Hub/);
    // Another integration's user (a foreign externalRef) holds a name just as well.
    await hub.api("POST", "/v1/users", { userName: "hr@example.com", externalRef: "hr-import-1" });
    await expectScimError(await scim(t).post("/Users", userPayload({ userName: "hr@example.com" })), 409, "uniqueness", /Device Hub/);
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).hubNameCheck).toEqual({ fallbacks: 0, lastFallbackAt: null });
  });

  it("with the hub down, the mirror decides (fail open) and the fallback shows in the status", async () => {
    const { t, hub } = await provisionedTenant();
    await hub.api("POST", "/v1/users", { userName: "known@example.com" });
    await runSync(t.id); // the initial sweep mirrors the hub's names
    await hub.fault({ kind: "error", status: 503, method: "GET", pathPrefix: "/v1/users", count: 2 });
    await expectScimError(await scim(t).post("/Users", userPayload({ userName: "known@example.com" })), 409, "uniqueness", /Device Hub/);
    await scim(t).createUser({ userName: "free-while-down@example.com" });
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status.hubNameCheck.fallbacks).toBe(2);
    expect(Date.parse(status.hubNameCheck.lastFallbackAt)).not.toBeNaN();
  });

  it("a hub slower than HUB_NAME_CHECK_TIMEOUT_MS: the mirror decides; with time to answer, the hub does", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    await hub.api("POST", "/v1/users", { userName: "slow.hub@example.com" });
    // The hub holds every userName lookup for 3 s, then answers.
    await hub.fault({ kind: "timeout", delayMs: 3000, apply: true, method: "GET", pathPrefix: "/v1/users", count: 2 });
    const create = async (vars: Record<string, string>) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(`${ORIGIN}/scim/v2/Users`, {
        method: "POST",
        headers: { Authorization: `Bearer ${t.token}`, "Content-Type": "application/scim+json" },
        body: JSON.stringify(userPayload({ userName: "slow.hub@example.com" })),
      }), { ...env, ...vars }, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    // The tests' own setting (30 s) waits for the answer: taken.
    await expectScimError(await create({}), 409, "uniqueness", /Device Hub/);
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).hubNameCheck.fallbacks).toBe(0);
    // 200 ms does not: the mirror, which has not seen the name yet, lets the create through, counted.
    expect((await create({ HUB_NAME_CHECK_TIMEOUT_MS: "200" })).status).toBe(201);
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).hubNameCheck.fallbacks).toBe(1);
  });

  it("checks only create and rename: a user whose name the hub took later can still be deactivated", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    const s = scim(t);
    const late = await s.createUser({ userName: "late@example.com" });
    const other = await s.createUser();
    await hub.api("POST", "/v1/users", { userName: "late@example.com" }); // taken before our create reached the hub
    await runSync(t.id, { clock: later(MIN) });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue.parked).toBe(1);
    expect((await s.patch(`/Users/${late.id}`, patchOp({ op: "replace", path: "active", value: false }))).status).toBe(200);
    expect((await s.patch(`/Users/${late.id}`, patchOp({ op: "replace", path: "displayName", value: "Still here" }))).status).toBe(200);
    await expectScimError(await s.patch(`/Users/${other.id}`, patchOp({ op: "replace", path: "userName", value: "LATE@example.com" })), 409, "uniqueness", /Device Hub/);
  });

  it("our own users never count, and a rename-away or delete then create of the old name converges in one cycle", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const a = await s.createUser({ userName: "first@example.com" });
    const b = await s.createUser({ userName: "second@example.com" });
    await runSync(t.id);
    expect((await s.patch(`/Users/${a.id}`, patchOp({ op: "replace", path: "userName", value: "first-renamed@example.com" }))).status).toBe(200);
    expect((await s.delete(`/Users/${b.id}`)).status).toBe(204);
    // The hub still holds both names, but the holders are ours: SCIM accepts the names.
    const a2 = await s.createUser({ userName: "first@example.com" });
    const b2 = await s.createUser({ userName: "second@example.com" });
    await runSync(t.id, { clock: later(MIN) });
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(3);
    expect(view.users.get(a.id)).toMatchObject({ userName: "first-renamed@example.com" });
    expect(view.users.get(a2.id)).toMatchObject({ userName: "first@example.com" });
    expect(view.users.get(b2.id)).toMatchObject({ userName: "second@example.com" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue).toEqual({ queued: 0, pending: 0, parked: 0 });
  });

  it("policy adopt: a create of a hub-owned user's name links that hub user, which SCIM then manages", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    expect(await hubJson(`/tenants/${t.id}/provisioning/policy`, { method: "PATCH", body: { hubConflict: "adopt" } })).toMatchObject({ hubConflict: "adopt" });
    const held = (await hub.api("POST", "/v1/users", { userName: "adopt.me@example.com", displayName: "Hub Made" })).body!;
    const s = scim(t);
    const u = await s.createUser({ userName: "adopt.me@example.com", displayName: "From Entra" });
    const g = await s.createGroup({ members: [{ value: u.id }] });
    await runSync(t.id, { clock: later(MIN) });
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(1);
    expect(view.users.get(u.id)).toMatchObject({ id: held.id, externalRef: u.id, displayName: "From Entra" });
    expect(view.members[g.id]).toEqual([u.id]);
    // Adopted means ours: a SCIM delete deletes it in the hub.
    expect((await s.delete(`/Users/${u.id}`)).status).toBe(204);
    await runSync(t.id, { clock: later(2 * MIN) });
    expect((await hubView(hub)).raw.users).toHaveLength(0);
  });

  it("policy adopt: a create the name check let through (hub unreachable, mirror not yet aware) adopts the holder in the sync instead of parking", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    await hubJson(`/tenants/${t.id}/provisioning/policy`, { method: "PATCH", body: { hubConflict: "adopt" } });
    // Made at the meeting-room screen after the last sweep: the mirror does not know it yet.
    const held = (await hub.api("POST", "/v1/users", { userName: "screen.made@example.com", displayName: "Screen" })).body!;
    await hub.fault({ kind: "error", status: 503, method: "GET", pathPrefix: "/v1/users", count: 1 });
    const u = await scim(t).createUser({ userName: "screen.made@example.com", displayName: "From Entra" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).hubNameCheck.fallbacks).toBe(1);
    await runSync(t.id, { clock: later(MIN) });
    await runSync(t.id, { clock: later(2 * MIN) });
    const view = await hubView(hub);
    expect(view.raw.users).toHaveLength(1);
    expect(view.users.get(u.id)).toMatchObject({ id: held.id, externalRef: u.id, displayName: "From Entra" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).queue).toEqual({ queued: 0, pending: 0, parked: 0 });
  });

  it("policy reject: the same create parks, and the hub-made holder is left alone", async () => {
    const { t, hub } = await provisionedTenant();
    await runSync(t.id);
    const held = (await hub.api("POST", "/v1/users", { userName: "screen.kept@example.com", displayName: "Screen" })).body!;
    await hub.fault({ kind: "error", status: 503, method: "GET", pathPrefix: "/v1/users", count: 1 });
    await scim(t).createUser({ userName: "screen.kept@example.com" });
    await runSync(t.id, { clock: later(MIN) });
    const view = await hubView(hub);
    expect(view.raw.users).toEqual([expect.objectContaining({ id: held.id, externalRef: null, displayName: "Screen" })]);
  });
});
