// The provisioning admin API: hub settings (key encrypted, never shown), start/stop/run/full
// sweep, status, and the admin guard. Errors are whole SCIM error bodies.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { scim } from "../support/scim";
import { newTenant } from "../support/tenant";
import { waitFor } from "../support/wait";
import { HUB_BASE, hubAdmin, hubJson, hubView, hubWorkspace, provisionedTenant, runCron } from "../support/run-cron";
import { tenantD1 } from "../support/shard";

/** Admin errors: {"error": {"status", "message"}} as application/json (src/http/errors.ts). */
async function expectAdminError(res: Response, status: number, _scimType: string | undefined, message: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: { status: number; message: string } };
  expect(body.error.status).toBe(status);
  expect(body.error.message).toMatch(message);
}

describe("provisioning admin API", () => {
  it("requires the admin token and a known tenant", async () => {
    const t = await newTenant();
    for (const [method, path] of [["GET", "provisioning"], ["PUT", "device-hub"], ["POST", "provisioning/run"], ["GET", "provisioning/logs"]] as const) {
      const res = await hubAdmin(`/tenants/${t.id}/${path}`, { method, token: "wrong-token-0123456789abcdef" });
      await expectAdminError(res, 401, undefined, /admin token/);
      expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    }
    await expectAdminError(await hubAdmin(`/tenants/${crypto.randomUUID()}/provisioning`), 404, undefined, /not found/);
  });

  it("stores settings with the API key encrypted and shows only a hint", async () => {
    const t = await newTenant();
    const apiKey = `key-${crypto.randomUUID()}`;
    const put = await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PUT", body: { baseUrl: `${HUB_BASE}/`, apiKey, timeoutMs: 2000 } });
    expect(put.status).toBe(201);
    const shown = await hubJson(`/tenants/${t.id}/device-hub`);
    expect(shown).toEqual({
      baseUrl: HUB_BASE, apiKeyHint: `…${apiKey.slice(-4)}`, timeoutMs: 2000, logRetentionDays: 14,
      defaultPreferredLanguage: "en-GB", hubFieldMap: expect.objectContaining({ floor: expect.any(String) }), hubFieldMapIsDefault: true,
      enforceNamingRules: false, deletedUserGraceDays: 30, syncOnChange: true,
      createdAt: expect.any(String), updatedAt: expect.any(String),
    });
    expect(JSON.stringify(shown)).not.toContain(apiKey);
    const row = await (await tenantD1(t.id)).prepare("SELECT api_key_cipher FROM hub_settings WHERE tenant_id = ?").bind(t.id).first<{ api_key_cipher: string }>();
    expect(row!.api_key_cipher).toMatch(/^v1\./);
    expect(row!.api_key_cipher).not.toContain(apiKey);
    expect((await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PUT", body: { baseUrl: HUB_BASE, apiKey } })).status).toBe(200);
  });

  it("PATCH changes syncOnChange without the API key, and a later PUT keeps it", async () => {
    const t = await newTenant();
    const apiKey = `key-${crypto.randomUUID()}`;
    await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PUT", body: { baseUrl: HUB_BASE, apiKey } });
    expect(await hubJson(`/tenants/${t.id}/device-hub`, { method: "PATCH", body: { syncOnChange: false } })).toMatchObject({ syncOnChange: false });
    await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PUT", body: { baseUrl: HUB_BASE, apiKey } });
    expect(await hubJson(`/tenants/${t.id}/device-hub`)).toMatchObject({ syncOnChange: false });
    await expectAdminError(await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PATCH", body: { syncOnChange: "no" } }), 400, "invalidValue", /syncOnChange/);
  });

  it("validates settings", async () => {
    const t = await newTenant();
    const put = (body: unknown) => hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PUT", body });
    await expectAdminError(await put({ baseUrl: "http://hub.example.com", apiKey: "k" }), 400, "invalidValue", /https/);
    await expectAdminError(await put({ baseUrl: "not a url", apiKey: "k" }), 400, "invalidValue", /baseUrl/);
    await expectAdminError(await put({ baseUrl: "https://hub.example.com", apiKey: "has space" }), 400, "invalidValue", /apiKey/);
    await expectAdminError(await put({ baseUrl: "https://hub.example.com", apiKey: "k", timeoutMs: 10 }), 400, "invalidValue", /timeoutMs/);
    await expectAdminError(await put({ baseUrl: "https://hub.example.com", apiKey: "k", syncOnChange: "yes" }), 400, "invalidValue", /syncOnChange/);
    await expectAdminError(await hubAdmin(`/tenants/${t.id}/device-hub`), 404, undefined, /no Device Hub settings/);
    // Options without settings: there is nothing to change (the CLI's `hub options` says so).
    await expectAdminError(await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PATCH", body: { syncOnChange: false } }), 404, undefined, /no Device Hub settings/);
    await expectAdminError(await hubAdmin(`/tenants/${t.id}/provisioning/start`, { method: "POST" }), 409, undefined, /configure the Device Hub/);
  });

  it("start/stop decide whether the cron sends the tenant's message; run?wait=true runs it now", async () => {
    const t = await newTenant();
    const hub = hubWorkspace();
    await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PUT", body: { baseUrl: HUB_BASE, apiKey: hub.apiKey } });
    const u = await scim(t).createUser();
    let status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status).toMatchObject({ configured: true, state: "stopped", activity: "idle", nextRunAt: null, sweepRequested: "initial" });
    await runCron();
    // A dispatched tenant carries wakeQueuedAt until the consumer takes its message.
    expect(await hubJson(`/tenants/${t.id}/provisioning`)).toMatchObject({ wakeQueuedAt: null });
    expect((await hubView(hub)).raw.users).toHaveLength(0);
    await expectAdminError(await hubAdmin(`/tenants/${t.id}/provisioning/run`, { method: "POST" }), 409, undefined, /stopped/);

    status = await hubJson(`/tenants/${t.id}/provisioning/start`, { method: "POST" });
    expect(status).toMatchObject({ state: "started" });
    expect(Date.parse(status.nextRunAt) % (5 * 60_000)).toBe(0);
    const ran = await hubJson(`/tenants/${t.id}/provisioning/run?wait=true`, { method: "POST" });
    expect(ran.run).toMatchObject({ tenantId: t.id, outcome: "finished", kind: "initial" });
    expect(ran.status).toMatchObject({ activity: "idle", currentCycle: null, lastCycle: { kind: "initial", counts: { usersCreated: 1 } } });
    expect((await hubView(hub)).users.has(u.id)).toBe(true);

    await hubJson(`/tenants/${t.id}/provisioning/stop`, { method: "POST" });
    const u2 = await scim(t).createUser();
    await runCron();
    expect(await hubJson(`/tenants/${t.id}/provisioning`)).toMatchObject({ wakeQueuedAt: null });
    expect((await hubView(hub)).users.has(u2.id)).toBe(false);
  });

  it("full-sweep is queued (202) and run by the queue consumer after /run", async () => {
    const { t, hub } = await provisionedTenant();
    await hubJson(`/tenants/${t.id}/provisioning/run?wait=true`, { method: "POST" });
    const swept = await hubAdmin(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });
    expect(swept.status).toBe(202);
    expect(await swept.json()).toMatchObject({ sweepRequested: "fullSweep" });
    const u = await scim(t).createUser();
    const bg = await hubAdmin(`/tenants/${t.id}/provisioning/run`, { method: "POST" });
    expect(bg.status).toBe(202);
    // /run sent a `manual` message; the real consumer runs it moments later.
    await waitFor(async () => (await hubJson(`/tenants/${t.id}/provisioning`)).lastCycle?.kind === "fullSweep");
    const status = await hubJson(`/tenants/${t.id}/provisioning`);
    expect(status).toMatchObject({ sweepRequested: null, lastCycle: { kind: "fullSweep" } });
    expect((await hubView(hub)).users.has(u.id)).toBe(true);
  });

  it("changing the hub (another key) queues an initial sweep", async () => {
    const { t } = await provisionedTenant();
    await hubJson(`/tenants/${t.id}/provisioning/run?wait=true`, { method: "POST" });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).sweepRequested).toBeNull();
    const other = hubWorkspace();
    await hubAdmin(`/tenants/${t.id}/device-hub`, { method: "PUT", body: { baseUrl: HUB_BASE, apiKey: other.apiKey } });
    expect((await hubJson(`/tenants/${t.id}/provisioning`)).sweepRequested).toBe("initial");
  });
});
