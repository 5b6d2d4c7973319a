// Admin: SCIM tokens by expiry. The operator's deployment-wide list of live tokens (and tenant API
// tokens) that expire soon, and a tenant's tokens over all its clients (tenant admins may call the latter).
import { Hono } from "hono";
import { z } from "zod";
import { listExpiringApiTokensEverywhere, listExpiringTokensEverywhere, listTenantTokens } from "../storage/token-expiry";
import { activeTenant } from "../../tenancy/port";
import { checkEnvelope } from "../../http/body";
import type { AdminTenantEnv, AdminEnv } from "../../http/context";
import { daysLeft, EXPIRY_WARNING_DAYS, tokenJson } from "./token-json";
import { isoDaysAfter } from "../../platform/clock";
import type { ExpiringTokenJson } from "./responses";

const MAX_LISTED = 1000;
const ExpiringQuery = z.object({
  within_days: z.coerce.number({ error: "within_days must be a whole number of days" }).int().min(1).max(3650).default(EXPIRY_WARNING_DAYS),
});

export const tokenExpiryRoutes = new Hono<AdminEnv>()
  .get("/tokens/expiring", async (c) => {
    const { within_days } = checkEnvelope(ExpiringQuery, { within_days: c.req.query("within_days") || undefined });
    const now = new Date();
    const until = isoDaysAfter(now, within_days);
    const rows = await listExpiringTokensEverywhere(c.env, c.get("directory"), now.toISOString(), until, MAX_LISTED);
    const apiTokens = await listExpiringApiTokensEverywhere(c.env, c.get("directory"), now.toISOString(), until, MAX_LISTED);
    return c.json({
      within_days,
      tokens: rows.map((r): ExpiringTokenJson => ({
        tenant_id: r.tenantId,
        tenant_name: r.tenantName,
        client_id: r.clientId,
        jti: r.jti,
        issued_at: r.issuedAt,
        expires_at: r.expiresAt,
        days_left: daysLeft(r.expiresAt, now),
      })),
      // Tenant API tokens (scripts of the customer's IT admin), by the same rule.
      api_tokens: apiTokens.map((r) => ({
        tenant_id: r.tenantId,
        tenant_name: r.tenantName,
        id: r.id,
        name: r.name,
        created_at: r.createdAt,
        created_by: r.createdBy,
        expires_at: r.expiresAt,
        days_left: daysLeft(r.expiresAt, now),
      })),
    });
  });

/** /admin/v1/tenants/{id}/tokens: a tenant's tokens over all its clients. */
export const tenantTokenRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    const now = new Date();
    return c.json({ tokens: (await listTenantTokens(c.get("db"), tenant.id)).map((r) => tokenJson(r, now)) });
  });
