// GET /admin/v1/tenants/{id}/provisioning/history: hub operations per cycle (ok, failed, parked)
// over the last hours, aggregated from the provisioning log, through the real handlers and hub.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { tenantWithOneFailingUpdate } from "../support/failing-user";
import { scim } from "../support/scim";
import { hubAdmin, hubJson, later, provisionedTenant, runSync } from "../support/run-cron";
import { newTenant } from "../support/tenant";
import { tenantD1 } from "../support/shard";

const HOUR = 3_600_000;

interface Cycle { cycleId: string; startedAt: string; ok: number; failed: number; parked: number }
interface Entry { cycleId: string; result: string }

const OUTCOME: Record<string, "ok" | "failed" | "parked" | undefined> = {
  ok: "ok", exists: "ok", alreadyGone: "ok", failed: "failed", rateLimited: "failed", parked: "parked",
};

/** The same totals, counted from the log entries one by one. */
function countFromLog(entries: Entry[]) {
  const byCycle = new Map<string, { ok: number; failed: number; parked: number }>();
  for (const e of entries) {
    const kind = OUTCOME[e.result];
    const totals = byCycle.get(e.cycleId) ?? { ok: 0, failed: 0, parked: 0 };
    if (kind) totals[kind]++;
    byCycle.set(e.cycleId, totals);
  }
  return byCycle;
}

describe("provisioning history", () => {
  it("counts each cycle's ok, failed and parked hub operations, oldest cycle first", async () => {
    const { t } = await tenantWithOneFailingUpdate();
    // Five attempts an hour apart: four failures, then the operation is parked.
    for (let hour = 0; hour < 5; hour++) await runSync(t.id, { clock: later(hour * HOUR) });

    const { hours, cycles } = await hubJson<{ hours: number; cycles: Cycle[] }>(`/tenants/${t.id}/provisioning/history?hours=24`);
    expect(hours).toBe(24);
    expect(cycles).toHaveLength(6);
    expect(cycles.map((c) => c.startedAt)).toEqual(cycles.map((c) => c.startedAt).sort());
    expect(cycles[0]).toMatchObject({ failed: 0, parked: 0 });
    expect(cycles[0]!.ok).toBeGreaterThanOrEqual(2);
    expect(cycles[1]).toMatchObject({ ok: 1, failed: 1, parked: 0 });
    expect(cycles.slice(2, 5).map((c) => [c.ok, c.failed, c.parked])).toEqual([[0, 1, 0], [0, 1, 0], [0, 1, 0]]);
    expect(cycles[5]).toMatchObject({ ok: 0, failed: 0, parked: 1 });

    const { entries } = await hubJson<{ entries: Entry[] }>(`/tenants/${t.id}/provisioning/logs?limit=500`);
    const fromLog = countFromLog(entries);
    expect(new Set(cycles.map((c) => c.cycleId))).toEqual(new Set(fromLog.keys()));
    for (const c of cycles) expect({ ok: c.ok, failed: c.failed, parked: c.parked }).toEqual(fromLog.get(c.cycleId));
  });

  it("covers only the asked window and only this tenant", async () => {
    const { t } = await provisionedTenant();
    await scim(t).createUser();
    await runSync(t.id);
    const other = await newTenant();
    const old = new Date(Date.now() - 30 * HOUR).toISOString();
    await (await tenantD1(t.id)).prepare("INSERT INTO sync_log (tenant_id, at, cycle_id, action, result) VALUES (?, ?, 'old-cycle', 'user.create', 'failed')")
      .bind(t.id, old).run();

    const day = await hubJson<{ cycles: Cycle[] }>(`/tenants/${t.id}/provisioning/history`);
    expect(day.cycles.map((c) => c.cycleId)).not.toContain("old-cycle");
    expect(day.cycles).toHaveLength(1);
    const twoDays = await hubJson<{ cycles: Cycle[] }>(`/tenants/${t.id}/provisioning/history?hours=48`);
    expect(twoDays.cycles[0]).toEqual({ cycleId: "old-cycle", startedAt: old, ok: 0, failed: 1, parked: 0 });
    expect(twoDays.cycles).toHaveLength(2);
    expect(await hubJson(`/tenants/${other.id}/provisioning/history`)).toEqual({ hours: 24, cycles: [] });
  });

  it("rejects a bad window, an unknown tenant and a wrong admin token", async () => {
    const t = await newTenant();
    for (const hours of ["0", "169", "1.5", "abc", ""]) {
      const res = await hubAdmin(`/tenants/${t.id}/provisioning/history?hours=${hours}`);
      expect(res.status, `hours=${hours}`).toBe(400);
      expect(await res.text()).toMatch(/hours/);
    }
    expect((await hubAdmin(`/tenants/${crypto.randomUUID()}/provisioning/history`)).status).toBe(404);
    expect((await hubAdmin(`/tenants/${t.id}/provisioning/history`, { token: "wrong-token-0123456789abcdef" })).status).toBe(401);
  });
});
