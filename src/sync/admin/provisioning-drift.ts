// Admin: the drift report (docs/device-hub.md#drift-report). POST …/provisioning/drift starts a
// new report (it replaces the last) and hands it to the sync queue as `drift` messages; ?wait=true
// runs it in the request instead (scripts, tests; bounded). GET …/provisioning/drift answers the
// last report with its progress, counts and differences.
import { Hono } from "hono";
import { ScimError } from "../../scim/errors";
import { readDrift, startDrift } from "../storage/sync-drift";
import { newDriftReport, parseDriftReport, runDriftSteps } from "./drift";
import { requireHubSettings } from "./provisioning";
import { sendSync } from "../queue/messages";
import { newId } from "../../platform/ids";
import { activeTenant } from "../../tenancy/port";
import type { AdminTenantEnv } from "../../http/context";

/** Invocations a `?wait=true` report may take in the request (each ≤ 15 s). */
const WAIT_INVOCATIONS = 8;
const STEP_BUDGET_MS = 15_000;

export const provisioningDriftRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    return c.json({ report: parseDriftReport(await readDrift(db, tenant.id)) });
  })
  .post("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    await requireHubSettings(db, tenant.id);
    const report = newDriftReport(newId(), new Date().toISOString());
    if (!(await startDrift(db, tenant.id, report))) throw new ScimError(409, "provisioning was never started for this tenant");
    const now = () => new Date().toISOString();
    if (c.req.query("wait") === "true") {
      for (let i = 0; i < WAIT_INVOCATIONS; i++) {
        if ((await runDriftSteps(c.env, db, tenant.id, Date.now() + STEP_BUDGET_MS, now)) !== "more") break;
      }
      return c.json({ report: parseDriftReport(await readDrift(db, tenant.id)) });
    }
    if (c.env.SYNC_QUEUE) await sendSync(c.env.SYNC_QUEUE, { tenantId: tenant.id, reason: "drift" });
    else c.executionCtx.waitUntil(runDriftSteps(c.env, db, tenant.id, Date.now() + STEP_BUDGET_MS, now).catch((e: unknown) => c.get("log").error("drift report failed", { tenantId: tenant.id, error: String(e) })));
    return c.json({ report }, 202);
  });
