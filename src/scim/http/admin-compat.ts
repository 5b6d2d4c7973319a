// Admin: which Entra compatibility rewrites fired for a tenant, and how often — so operators can
// see what their identity provider actually sends.
import { Hono } from "hono";
import { listCompatCounters } from "../storage/compat-counters";
import { activeTenant } from "../../tenancy/port";
import type { AdminTenantEnv } from "../../http/context";

export const compatRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    return c.json({ rewrites: await listCompatCounters(db, tenant.id) });
  });
