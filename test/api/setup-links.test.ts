// Setup links through the admin API (operator): create (secret shown once, in the URL fragment),
// list with status and without secrets, revoke; bad input is a 400, unknown ids a 404.
import { describe, expect, it } from "vitest";
import { hashSecret } from "../../src/access/client-secret";
import { insertSetupLink } from "../../src/access/storage/setup-links";
import { admin, json } from "../support/http";
import { newSetupLink, signIn } from "../support/portal";
import { newTenant } from "../support/tenant";
import { waitFor } from "../support/wait";
import { tenantD1, tenantDb } from "../support/shard";

type Json = Record<string, unknown>;
const DAY_MS = 86_400_000;

async function expectAdminError(res: Response, status: number, message: RegExp) {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(await json(res)).toEqual({ error: { status, message: expect.stringMatching(message) } });
}

const links = async (tenantId: string) => (await json<{ links: Json[] }>(await admin(`/tenants/${tenantId}/setup-links`))).links;

describe("setup links (admin API)", () => {
  it("creates a 7-day link by default: the secret is in the URL fragment, shown once, stored hashed", async () => {
    const t = await newTenant();
    const res = await admin(`/tenants/${t.id}/setup-links`, { method: "POST" });
    expect(res.status).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const link = await json<{ id: string; url: string; expires_at: string; created_at: string }>(res);
    expect(link).toEqual({ id: expect.any(String), url: expect.stringMatching(/^https:\/\/scim\.test\/portal\/#setup=scimsl_[0-9a-f-]{36}\.[\w-]{43}$/), expires_at: expect.any(String), created_at: expect.any(String), note: null });
    expect(res.headers.get("Location")).toBe(`https://scim.test/admin/v1/tenants/${t.id}/setup-links/${link.id}`);
    expect(Date.parse(link.expires_at) - Date.parse(link.created_at)).toBe(7 * DAY_MS);
    const secret = new URL(link.url).hash.slice("#setup=".length);
    const row = await (await tenantD1(t.id)).prepare("SELECT * FROM setup_links WHERE id = ?").bind(link.id).first<Json>();
    expect(row!.secret_hash).toBe(await hashSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(await links(t.id))).not.toContain(secret);
  });

  it("takes expires_in_days (1..30) and a note", async () => {
    const t = await newTenant();
    const res = await admin(`/tenants/${t.id}/setup-links`, { body: { expires_in_days: 30, note: "  for Contoso IT  " } });
    const link = await json<Json>(res);
    expect(Date.parse(String(link.expires_at)) - Date.parse(String(link.created_at))).toBe(30 * DAY_MS);
    expect(link.note).toBe("for Contoso IT");
  });

  it("lists links newest first with their status, never a secret or url", async () => {
    const t = await newTenant();
    const used = await newSetupLink(t.id, { note: "used" });
    await signIn(used.secret);
    const revoked = await newSetupLink(t.id, { note: "revoked" });
    expect((await admin(`/tenants/${t.id}/setup-links/${revoked.id}`, { method: "DELETE" })).status).toBe(204);
    await insertSetupLink(await tenantDb(t.id), {
      id: crypto.randomUUID(), tenantId: t.id, secretHash: await hashSecret(crypto.randomUUID()), note: "expired",
      createdAt: new Date(Date.now() - 2 * DAY_MS).toISOString(), expiresAt: new Date(Date.now() - DAY_MS).toISOString(), usedAt: null, revokedAt: null,
    });
    const active = await newSetupLink(t.id, { note: "active" });
    const listed = await links(t.id);
    expect(listed.map((l) => [l.note, l.status])).toEqual([["active", "active"], ["revoked", "revoked"], ["used", "used"], ["expired", "expired"]]);
    expect(listed[0]).toEqual({ id: active.id, created_at: expect.any(String), expires_at: expect.any(String), used_at: null, revoked_at: null, status: "active", note: "active" });
    expect(listed[2]!.used_at).toEqual(expect.any(String));
    for (const l of listed) expect(Object.keys(l).sort()).toEqual(["created_at", "expires_at", "id", "note", "revoked_at", "status", "used_at"]);
  });

  it("rejects bad bodies with 400 and creates nothing", async () => {
    const t = await newTenant();
    for (const body of [{ expires_in_days: 0 }, { expires_in_days: 31 }, { expires_in_days: "7" }, { expires_in_days: 1.5 }, { note: "x".repeat(201) }, { note: 5 }, [], "x"]) {
      await expectAdminError(await admin(`/tenants/${t.id}/setup-links`, { body }), 400, /./);
    }
    await expectAdminError(await admin(`/tenants/${t.id}/setup-links`, { method: "POST", rawBody: "{not json" }), 400, /not valid JSON/);
    expect(await links(t.id)).toEqual([]);
  });

  it("404 for an unknown or offboarded tenant, and for a link of another tenant", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await expectAdminError(await admin(`/tenants/${crypto.randomUUID()}/setup-links`, { method: "POST" }), 404, /not found/);
    const link = await newSetupLink(a.id);
    await expectAdminError(await admin(`/tenants/${b.id}/setup-links/${link.id}`, { method: "DELETE" }), 404, /setup link not found/);
    expect((await links(a.id))[0]!.status).toBe("active");
    expect((await admin(`/tenants/${a.id}/setup-links/${link.id}`, { method: "DELETE" })).status).toBe(204);
    await expectAdminError(await admin(`/tenants/${a.id}/setup-links/${link.id}`, { method: "DELETE" }), 404, /already revoked/);
    expect((await admin(`/tenants/${b.id}`, { method: "DELETE" })).status).toBe(202);
    await expectAdminError(await admin(`/tenants/${b.id}/setup-links`, { method: "POST" }), 404, /deleted/);
  });

  it("creating and revoking a link are audited with the link id, by the operator", async () => {
    const t = await newTenant();
    const link = await newSetupLink(t.id);
    expect((await admin(`/tenants/${t.id}/setup-links/${link.id}`, { method: "DELETE" })).status).toBe(204);
    const entries = async () => (await json<{ entries: Json[] }>(await admin(`/tenants/${t.id}/audit`))).entries;
    await waitFor(async () => (await entries()).filter((e) => e.resourceType === "setup-links").length === 2);
    const rows = (await entries()).filter((e) => e.resourceType === "setup-links");
    expect(rows.map((e) => [e.method, e.resourceId, e.status, e.actor, e.clientId])).toEqual([
      ["DELETE", link.id, 204, "operator", "admin"],
      ["POST", link.id, 201, "operator", "admin"],
    ]);
  });
});
