// Audit log (issue 6): one row per SCIM write and admin action, ids and outcome only, readable
// per tenant, newest first, with cursor paging and since/until; the cron prunes rows past
// AUDIT_RETENTION_DAYS.
// Rows are written in waitUntil, so tests poll the admin endpoint until they appear.
import { env } from "cloudflare:test";
import { waitFor } from "../support/wait";
import { describe, expect, it } from "vitest";
import { admin, call, json } from "../support/http";
import { runCron } from "../support/run-cron";
import { patchOp, scim, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";
import { tenantD1 } from "../support/shard";
import type { AuditEntryJson } from "../../src/audit/responses";

type Page = { entries: AuditEntryJson[]; nextCursor: string | null };

async function auditPage(tenantId: string, query = ""): Promise<Page> {
  const res = await admin(`/tenants/${tenantId}/audit${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<Page>(res);
}

/** Poll until the tenant has at least `n` entries (rows are written after the response); newest first. */
async function waitForEntries(tenantId: string, n: number): Promise<AuditEntryJson[]> {
  let entries: AuditEntryJson[] = [];
  await waitFor(async () => (entries = (await auditPage(tenantId, "?count=500")).entries).length >= n);
  return entries;
}

describe("audit log", () => {
  it("records every SCIM write with client, request id, resource, status and rewrites — and no reads", async () => {
    const t = await newTenant();
    const api = scim(t);
    // Admin actions of newTenant(): the tenant and the client.
    const adminRows = 2;
    const started = Date.now();
    const user = await api.createUser({ active: "True" });
    await api.get(`/Users/${user.id}`);
    await api.get(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`);
    await api.post("/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"] });
    const patched = await api.patch(`/Users/${user.id}`, patchOp({ op: "Replace", path: "active", value: "False" }));
    expect(patched.status).toBeLessThan(300);
    const missing = await api.delete(`/Users/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    const bulk = await api.post("/Bulk", { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: [] });
    expect(bulk.status).toBeLessThan(500);
    const del = await api.delete(`/Users/${user.id}`);
    expect(del.status).toBe(204);

    const entries = (await waitForEntries(t.id, adminRows + 5)).reverse().slice(adminRows);
    expect(entries.map((e) => [e.method, e.resourceType, e.status])).toEqual([
      ["POST", "User", 201],
      ["PATCH", "User", patched.status],
      ["DELETE", "User", 404],
      ["POST", "Bulk", bulk.status],
      ["DELETE", "User", 204],
    ]);
    const [create, patch] = entries;
    expect(create).toMatchObject({ clientId: t.clientId, path: "/scim/v2/Users", resourceId: user.id, rewrites: ["booleanString"] });
    expect(create!.requestId).toMatch(/\S{8,}/);
    expect(Date.parse(create!.at)).toBeGreaterThanOrEqual(started);
    expect(Date.parse(create!.at)).toBeLessThanOrEqual(Date.now());
    expect(patch).toMatchObject({ path: `/scim/v2/Users/${user.id}`, resourceId: user.id });
    expect(patch!.rewrites).toEqual(expect.arrayContaining(["booleanString"]));
    // Never bodies or attribute values: the userName is kept as the resource's name (the request
    // log shows it beside the id) and nowhere else; no other value of the body is.
    expect(create).toMatchObject({ resourceName: user.userName, errorType: null, errorDetail: null });
    const withoutName = JSON.stringify(entries.map((e) => ({ ...e, resourceName: undefined })));
    expect(withoutName).not.toContain(user.userName as string);
    for (const value of [user.externalId, "Lovelace", "Ada"]) expect(JSON.stringify(entries)).not.toContain(value as string);
  });

  it("records admin actions as client 'admin', and the request id matches X-Request-Id", async () => {
    const t = await newTenant();
    const created = await admin(`/tenants/${t.id}/clients`, { body: { name: "second" } });
    const { client_id } = await json<{ client_id: string }>(created);
    const revoked = await admin(`/tenants/${t.id}/clients/${client_id}`, { method: "DELETE" });
    const entries = (await waitForEntries(t.id, 4)).reverse();
    expect(entries.map((e) => [e.clientId, e.method, e.resourceType, e.resourceId])).toEqual([
      ["admin", "POST", "tenant", t.id],
      ["admin", "POST", "clients", null],
      ["admin", "POST", "clients", null],
      ["admin", "DELETE", "clients", client_id],
    ]);
    expect(entries[2]!.requestId).toBe(created.headers.get("X-Request-Id"));
    expect(entries[3]!.status).toBe(revoked.status);
    // Audit reads themselves are not audited, nor are failed admin logins.
    await call(`/admin/v1/tenants/${t.id}/clients`, { body: { name: "x" }, token: "wrong-admin-token-0123456789" });
    await auditPage(t.id);
    // A later audited action is the marker: once it is in, anything the two calls above had
    // written would be too (rows land in request order), so absence is proved without a sleep.
    await admin(`/tenants/${t.id}/clients`, { body: { name: "marker" } });
    const after = (await waitForEntries(t.id, 5)).reverse();
    expect(after.map((e) => [e.clientId, e.method, e.status])).toEqual([...entries.map((e) => [e.clientId, e.method, e.status]), ["admin", "POST", 201]]);
  });

  it("reads newest first", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    await scim(t).delete(`/Users/${user.id}`);
    const entries = await waitForEntries(t.id, 4);
    expect(entries.map((e) => [e.method, e.resourceType])).toEqual([
      ["DELETE", "User"],
      ["POST", "User"],
      ["POST", "clients"],
      ["POST", "tenant"],
    ]);
    for (let i = 1; i < entries.length; i++) expect(entries[i - 1]!.at >= entries[i]!.at).toBe(true);
  });

  it("is per tenant, pages with an opaque cursor and filters with since and until", async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    for (let i = 0; i < 3; i++) await scim(t).createUser();
    const all = await waitForEntries(t.id, 5);
    expect(all).toHaveLength(5);
    expect(all.every((e) => e.clientId !== other.clientId)).toBe(true);

    const first = await auditPage(t.id, "?count=2");
    expect(first.entries).toEqual(all.slice(0, 2));
    const second = await auditPage(t.id, `?count=2&cursor=${first.nextCursor}`);
    expect(second.entries).toEqual(all.slice(2, 4));
    // A cursor given before shards existed (no shard in it) still pages the same.
    const legacy = btoa(atob(String(first.nextCursor)).replace(/^a:[A-Z0-9_]+:/, "a:")).replace(/=+$/, "");
    expect(legacy).not.toBe(first.nextCursor);
    expect((await auditPage(t.id, `?count=2&cursor=${legacy}`)).entries).toEqual(all.slice(2, 4));
    const third = await auditPage(t.id, `?count=2&cursor=${second.nextCursor}`);
    expect(third).toEqual({ entries: all.slice(4), nextCursor: null });

    // since is inclusive, until exclusive; both keep the newest-first order.
    const since = (await auditPage(t.id, `?since=${encodeURIComponent(all[3]!.at)}`)).entries;
    expect(since.every((e) => e.at >= all[3]!.at)).toBe(true);
    expect(since).toEqual(all.filter((e) => e.at >= all[3]!.at));
    expect(since.slice(0, 4)).toEqual(all.slice(0, 4));
    const until = (await auditPage(t.id, `?until=${encodeURIComponent(all[1]!.at)}`)).entries;
    expect(until).toEqual(all.filter((e) => e.at < all[1]!.at));
    const window = (await auditPage(t.id, `?since=${encodeURIComponent(all[3]!.at)}&until=${encodeURIComponent(all[0]!.at)}`)).entries;
    expect(window).toEqual(all.filter((e) => e.at >= all[3]!.at && e.at < all[0]!.at));
    expect((await auditPage(t.id, `?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).entries).toEqual([]);
  });

  it.each([
    ["?cursor=nope", "cursor"],
    ["?since=yesterday", "since"],
    ["?until=2026-13-45", "until"],
    ["?count=0", "count"],
    ["?count=abc", "count"],
  ])("rejects bad paging %s with 400", async (query, word) => {
    const t = await newTenant();
    const res = await admin(`/tenants/${t.id}/audit${query}`);
    expect(res.status).toBe(400);
    expect(((await json<Json>(res)).error as Json).message).toContain(word);
  });

  it("is admin-only and 404s for an unknown tenant", async () => {
    const t = await newTenant();
    expect((await call(`/admin/v1/tenants/${t.id}/audit`, { token: t.token })).status).toBe(401);
    expect((await admin(`/tenants/${crypto.randomUUID()}/audit`)).status).toBe(404);
  });

  it("the cron prunes rows older than AUDIT_RETENTION_DAYS and keeps newer ones", async () => {
    const t = await newTenant();
    const old = new Date(Date.now() - 91 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 89 * 86_400_000).toISOString();
    const d1 = await tenantD1(t.id);
    const insert = d1.prepare(
      `INSERT INTO audit_log (tenant_id, at, client_id, request_id, method, path, resource_type, resource_id, status, rewrites)
       VALUES (?, ?, 'c', 'r', 'DELETE', '/scim/v2/Users/x', 'User', 'x', 204, '[]')`,
    );
    await d1.batch([insert.bind(t.id, old), insert.bind(t.id, old), insert.bind(t.id, recent)]);
    const before = await waitForEntries(t.id, 5);
    expect(before.filter((e) => e.at === old)).toHaveLength(2);
    await runCron();
    const after = (await auditPage(t.id, "?count=500")).entries;
    expect(after.filter((e) => e.at === old)).toEqual([]);
    expect(after.filter((e) => e.at === recent)).toHaveLength(1);
    expect(after.length).toBe(before.length - 2);
  });
});
