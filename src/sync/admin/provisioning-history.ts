// Admin: hub operations per provisioning cycle over the last hours (ok, failed, parked), for the
// console's chart. GET /admin/v1/tenants/{id}/provisioning/history?hours=24 (1–168).
import { Hono } from "hono";
import { z } from "zod";
import { cycleHistory } from "../storage/sync-history";
import { activeTenant } from "../../tenancy/port";
import { checkEnvelope } from "../../http/body";
import type { AdminTenantEnv } from "../../http/context";

const HistoryQuery = z.object({
  hours: z.coerce.number().int("hours must be a whole number").min(1, "hours must be 1-168").max(168, "hours must be 1-168").default(24),
});

export const provisioningHistoryRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const { hours } = checkEnvelope(HistoryQuery, c.req.query());
    const since = new Date(Date.now() - hours * 3_600_000).toISOString();
    return c.json({ hours, cycles: await cycleHistory(db, tenant.id, since) });
  });
