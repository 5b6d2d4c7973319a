// Many tenants through the real queue: one cron tick sends one message per due tenant; the real
// consumer runs them, and a tenant whose hub hangs delays only itself.
import { describe, expect, it } from "vitest";
import { hubAdmin, hubJson, hubView, provisionedTenant, runCron, type HubWorkspace } from "../support/run-cron";
import { scim, type Json } from "../support/scim";
import type { TestTenant } from "../support/tenant";
import { waitFor } from "../support/wait";

const TENANTS = 50;

interface Fleet {
  t: TestTenant;
  hub: HubWorkspace;
  user: Json;
}

/** Tenants with one user each, created 10 at a time (the token endpoint and D1 are shared). */
async function fleet(n: number, settingsFor: (i: number) => Json): Promise<Fleet[]> {
  const out: Fleet[] = [];
  for (let i = 0; i < n; i += 10) {
    const chunk = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, async (_, k) => {
        const { t, hub } = await provisionedTenant(settingsFor(i + k));
        return { t, hub, user: await scim(t).createUser() };
      }),
    );
    out.push(...chunk);
  }
  return out;
}

const synced = async (f: Fleet) => (await hubView(f.hub)).users.has(f.user.id);

describe("sync queue at scale", () => {
  it(`${TENANTS} tenants, one with a hanging hub: one cron tick, the healthy ones converge in one round, then the hung one`, async () => {
    const tenants = await fleet(TENANTS, (i) => (i === 0 ? { timeoutMs: 1000 } : {}));
    const [hung, ...healthy] = tenants as [Fleet, ...Fleet[]];
    await hung.hub.fault({ kind: "timeout", delayMs: 20_000, count: 10_000 });

    await runCron();
    await waitFor(async () => (await Promise.all(healthy.map(synced))).every(Boolean), { deadlineMs: 240_000, pollMs: 250 });
    for (const f of healthy) {
      // One message, one invocation: nothing had to wait for a later tick or a retry.
      expect(await hubJson(`/tenants/${f.t.id}/provisioning`)).toMatchObject({ lastError: null, lastCycle: { kind: "initial", invocations: 1 } });
    }
    await waitFor(async () => (await hubJson(`/tenants/${hung.t.id}/provisioning`)).lastError !== null, { deadlineMs: 120_000, pollMs: 250 });
    expect(await synced(hung)).toBe(false);

    // The hub recovers; "Run now" sends a manual message and the tenant converges too.
    await hung.hub.clearFaults();
    expect((await hubAdmin(`/tenants/${hung.t.id}/provisioning/run`, { method: "POST" })).status).toBe(202);
    await waitFor(() => synced(hung), { deadlineMs: 120_000, pollMs: 250 });
  }, 600_000);
});
