// Admin: a tenant's rate-limit tier. GET/PUT /admin/v1/tenants/{id}/rate-limit {tier}.
// Tiers are [[ratelimits]] bindings (wrangler.toml); "unlimited" skips the limiter.
import { Hono } from "hono";
import { z } from "zod";
import { RATE_LIMIT_TIERS, setTenantTier, tenantTier } from "../storage/rate-limit-tiers";
import { activeTenant } from "./admin-tenant";
import { checkEnvelope, readJsonBody } from "../../http/body";
import type { AdminTenantEnv } from "../../http/context";

const TierBody = z.object({
  tier: z.enum(RATE_LIMIT_TIERS, { error: `tier must be one of ${RATE_LIMIT_TIERS.join(", ")}` }),
});

export const limitRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    return c.json({ tier: await tenantTier(db, tenant.id), tiers: RATE_LIMIT_TIERS });
  })
  .put("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const { tier } = checkEnvelope(TierBody, await readJsonBody(c));
    await setTenantTier(db, tenant.id, tier, new Date().toISOString());
    return c.json({ tier, tiers: RATE_LIMIT_TIERS });
  });
