// GET /admin/v1/tenants/{id}/export: NDJSON pages of ≤ 1,000 rows linked by cursors; a tenant
// of several pages exports every user, group and membership exactly once, and nothing else.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, json } from "../support/http";
import { scim, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";
import { tenantD1 } from "../support/shard";

async function exportAll(tenantId: string): Promise<{ lines: Json[]; pages: number }> {
  const lines: Json[] = [];
  let path: string | null = `/tenants/${tenantId}/export`;
  let pages = 0;
  while (path) {
    const res = await admin(path);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/x-ndjson/);
    const text = await res.text();
    const page = text === "" ? [] : text.trimEnd().split("\n").map((l) => JSON.parse(l) as Json);
    expect(page.length).toBeLessThanOrEqual(1000);
    lines.push(...page);
    pages++;
    const next = res.headers.get("X-Next-Cursor");
    const link = res.headers.get("Link");
    if (next) expect(link).toBe(`<https://scim.test/admin/v1/tenants/${tenantId}/export?cursor=${next}>; rel="next"`);
    else expect(link).toBeNull();
    path = next ? `/tenants/${tenantId}/export?cursor=${next}` : null;
  }
  return { lines, pages };
}

/** Rows written straight into D1 (the SCIM write path is tested elsewhere; this is about size). */
async function bulkInsert(tenantId: string, users: number, groupId: string) {
  const now = new Date().toISOString();
  const d1 = await tenantD1(tenantId);
  const user = d1.prepare(
    "INSERT INTO users (tenant_id, id, user_name, user_name_lc, version, created_at, updated_at, doc) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
  );
  const member = d1.prepare(
    "INSERT INTO group_members (tenant_id, group_id, member_id, member_type, added_at) VALUES (?, ?, ?, 'User', ?)",
  );
  const ids = Array.from({ length: users }, () => crypto.randomUUID());
  const stmts = ids.flatMap((id, i) => [
    user.bind(tenantId, id, `bulk${i}@x.test`, `bulk${i}@x.test`, now, now, JSON.stringify({ userName: `bulk${i}@x.test`, active: true })),
    ...(i % 2 === 0 ? [member.bind(tenantId, groupId, id, now)] : []),
  ]);
  for (let i = 0; i < stmts.length; i += 500) await d1.batch(stmts.slice(i, i + 500));
  return ids;
}

describe("tenant export", () => {
  it("exports a tenant of several pages without losing or repeating a row", async () => {
    const t = await newTenant();
    const other = await newTenant();
    await scim(other).createUser();
    const api = scim(t);
    const ada = await api.createUser();
    const group = await api.createGroup({ members: [{ value: ada.id }] });
    const bulkIds = await bulkInsert(t.id, 2100, group.id as string);

    const { lines, pages } = await exportAll(t.id);
    expect(pages).toBeGreaterThanOrEqual(4);
    const users = lines.filter((l) => l.type === "user");
    const groups = lines.filter((l) => l.type === "group");
    const members = lines.filter((l) => l.type === "membership");
    expect(users.length + groups.length + members.length).toBe(lines.length);
    expect(new Set(users.map((u) => u.id))).toEqual(new Set([ada.id, ...bulkIds]));
    expect(users).toHaveLength(2101);
    expect(groups.map((g) => g.id)).toEqual([group.id]);
    const memberKeys = members.map((m) => `${m.groupId}/${m.memberId}`);
    expect(new Set(memberKeys).size).toBe(memberKeys.length);
    expect(new Set(memberKeys)).toEqual(new Set([ada.id, ...bulkIds.filter((_, i) => i % 2 === 0)].map((id) => `${group.id}/${id}`)));
    expect(members[0]).toEqual({ type: "membership", groupId: group.id, memberId: expect.any(String), memberType: "User" });

    // Users and groups are their SCIM documents (memberships are their own lines).
    const { groups: _g, ...adaDoc } = await json<Json>(await api.get(`/Users/${ada.id}`));
    expect(users.find((u) => u.id === ada.id)).toEqual({ type: "user", ...adaDoc });
    const { members: _m, ...groupDoc } = await json<Json>(await api.get(`/Groups/${group.id}`));
    expect(groups[0]).toEqual({ type: "group", ...groupDoc });
  });

  it("an empty tenant exports nothing in one page", async () => {
    const t = await newTenant();
    expect(await exportAll(t.id)).toEqual({ lines: [], pages: 1 });
  });

  it("refuses a cursor it did not issue with 400, an unknown tenant with 404", async () => {
    const t = await newTenant();
    for (const cursor of ["nope", btoa(JSON.stringify({ phase: "secrets", key: null })), btoa("[]")]) {
      const res = await admin(`/tenants/${t.id}/export?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(400);
      expect(((await json<Json>(res)).error as Json).message).toMatch(/cursor/);
    }
    expect((await admin(`/tenants/${crypto.randomUUID()}/export`)).status).toBe(404);
  });
});
