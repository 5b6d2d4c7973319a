// What an incremental cycle reads from D1 follows the changes, not the directory: measured at the
// hub's own size (bench/sync-scale.mjs), a 100-change cycle read 403,259 rows for a tenant of
// 400,000 users against 5,240 for 2,000, because every run first looked for unfinished adoptions
// by walking the whole ownership ledger. Here the same run is metered (D1's own rows_read) at two
// directory sizes, with one change each.
import { describe, expect, it } from "vitest";
import { runReconcile } from "../../src/sync/engine/reconcile";
import { meteredEnv } from "../support/d1-meter";
import { patchOp, scim } from "../support/scim";
import { provisionedTenant, seedUsers, syncUntilIdle } from "../support/run-cron";

async function oneChangeRowsRead(size: number): Promise<number> {
  const { t } = await provisionedTenant();
  const users = await seedUsers(t.id, size);
  const initial = await syncUntilIdle(t.id, {}, 20);
  expect(initial.at(-1)!.tenants[0]).toMatchObject({ outcome: "finished", kind: "initial" });
  await scim(t).patch(`/Users/${users[0]!.id}`, patchOp({ op: "replace", path: "displayName", value: "changed" }));
  const { env, cost } = meteredEnv();
  const run = await runReconcile(env, { tenantIds: [t.id] });
  expect(run.tenants[0]).toMatchObject({ outcome: "finished", kind: "incremental" });
  return cost.rowsRead;
}

describe("device hub sync: an incremental cycle's D1 rows", () => {
  it("do not grow with the number of users the connector owns", async () => {
    const small = await oneChangeRowsRead(20);
    const large = await oneChangeRowsRead(420);
    // A read that walks every owned user would cost 400 more rows at the larger size.
    expect(large - small).toBeLessThan(40);
  }, 60_000);
});
