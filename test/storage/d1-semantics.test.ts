// D1 behaviours the storage layer relies on: a failing batch rolls back every statement
// (Miniflare once committed earlier statements: cloudflare/miniflare#484), and changes() inside a
// batch reports the previous statement's row count (used to bump versions only on real change).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("D1 semantics we depend on", () => {
  it("rolls back the whole batch when a later statement fails", async () => {
    const tenant = crypto.randomUUID();
    await expect(
      env.DB.batch([
        env.DB.prepare("INSERT INTO compat_counters (tenant_id, rewrite, count, last_seen_at) VALUES (?, 'a', 1, 'x')").bind(tenant),
        env.DB.prepare("INSERT INTO compat_counters (tenant_id, rewrite, count, last_seen_at) VALUES (?, 'a', 1, 'x')").bind(tenant),
      ]),
    ).rejects.toThrow(/UNIQUE/);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM compat_counters WHERE tenant_id = ?").bind(tenant).first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it("exposes the previous statement's changes() inside a batch", async () => {
    const tenant = crypto.randomUUID();
    const insert = (rewrite: string) =>
      env.DB.prepare("INSERT OR IGNORE INTO compat_counters (tenant_id, rewrite, count, last_seen_at) VALUES (?, ?, 0, 'x')").bind(tenant, rewrite);
    const bumpIfChanged = env.DB.prepare(
      "INSERT INTO compat_counters (tenant_id, rewrite, count, last_seen_at) SELECT ?, 'marker', 1, 'x' WHERE changes() > 0 " +
        "ON CONFLICT (tenant_id, rewrite) DO UPDATE SET count = count + 1",
    ).bind(tenant);
    await env.DB.batch([insert("a"), bumpIfChanged]);
    await env.DB.batch([insert("a"), bumpIfChanged]);
    await env.DB.batch([insert("b"), bumpIfChanged]);
    const marker = await env.DB.prepare("SELECT count FROM compat_counters WHERE tenant_id = ? AND rewrite = 'marker'").bind(tenant).first<{ count: number }>();
    expect(marker?.count).toBe(2);
  });
});
