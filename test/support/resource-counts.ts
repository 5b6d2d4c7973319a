// The maintained per-tenant counts (resource_counts, migration 0017) beside count(*) of the rows
// they count, for tests that check the triggers kept them right.
export async function resourceCounts(d1: D1Database, tenantId: string) {
  const maintained = await d1.prepare("SELECT resource_type AS type, n FROM resource_counts WHERE tenant_id = ?").bind(tenantId).all<{ type: string; n: number }>();
  const users = await d1.prepare("SELECT count(*) AS n FROM users WHERE tenant_id = ?").bind(tenantId).first<number>("n");
  const groups = await d1.prepare("SELECT count(*) AS n FROM groups WHERE tenant_id = ?").bind(tenantId).first<number>("n");
  const byType = Object.fromEntries(maintained.results.map((r) => [r.type, r.n]));
  return {
    maintained: { User: byType["User"] ?? 0, Group: byType["Group"] ?? 0 },
    actual: { User: users ?? 0, Group: groups ?? 0 },
  };
}
