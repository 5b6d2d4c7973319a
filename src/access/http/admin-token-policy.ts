// Admin: a tenant's token-lifetime policy (src/access/storage/token-policy.ts, docs/auth.md).
// GET/PUT /admin/v1/tenants/{id}/token-policy {mode: "standard" | "gallery"}. Tenant admins may
// read it (the portal shows it); only the operator changes it.
import { Hono } from "hono";
import { z } from "zod";
import {
  GALLERY_MAX_LIFETIME_S,
  GALLERY_MIN_LIFETIME_S,
  setTokenPolicy,
  TOKEN_POLICY_MODES,
  tokenPolicy,
  type TokenPolicyMode,
} from "../storage/token-policy";
import { DEFAULT_TOKEN_LIFETIME_S } from "../tokens";
import { activeTenant } from "../../tenancy/port";
import { checkEnvelope, readJsonBody } from "../../http/body";
import type { AdminTenantEnv } from "../../http/context";

const PolicyBody = z.object({
  mode: z.enum(TOKEN_POLICY_MODES, { error: `mode must be one of ${TOKEN_POLICY_MODES.join(", ")}` }),
});

const policyJson = (mode: TokenPolicyMode) => ({
  mode,
  modes: TOKEN_POLICY_MODES,
  defaultLifetimeSeconds: DEFAULT_TOKEN_LIFETIME_S,
  // What /oauth/token accepts as expires_in for this tenant's clients (null: the endpoint's own bounds).
  clientCredentialsLifetime: mode === "gallery" ? { minSeconds: GALLERY_MIN_LIFETIME_S, maxSeconds: GALLERY_MAX_LIFETIME_S } : null,
});

export const tokenPolicyRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    return c.json(policyJson(await tokenPolicy(db, tenant.id)));
  })
  .put("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const { mode } = checkEnvelope(PolicyBody, await readJsonBody(c));
    await setTokenPolicy(db, tenant.id, mode, new Date().toISOString());
    return c.json(policyJson(mode));
  });
