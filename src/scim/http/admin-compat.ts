// Admin: which Entra compatibility rewrites fired for a tenant, and how often — so operators can
// see what their identity provider actually sends.
import { Hono } from "hono";
import { listCompatCounters } from "../storage/compat-counters";
import { requireTenant } from "../../tenancy/port";
import type { AppEnv } from "../../http/context";

export const compatRoutes = new Hono<AppEnv>()
  .get("/tenants/:id/compat", async (c) => {
    const db = c.get("db");
    const tenant = await requireTenant(db, c.req.param("id"));
    return c.json({ rewrites: await listCompatCounters(db, tenant.id) });
  });
