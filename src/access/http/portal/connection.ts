// The values a customer's IT admin types into Entra: the Tenant URL and the token endpoint.
import { Hono } from "hono";
import { requireTenant } from "../../../tenancy/port";
import { scimBaseUrl, type AppEnv } from "../../../http/context";
import { portalAuth } from "../portal-auth";
import { portalTenantId } from "../principal";

export const portalConnectionRoutes = new Hono<AppEnv>().get("/connection", portalAuth, async (c) => {
  const tenant = await requireTenant(c.get("db"), portalTenantId(c));
  const origin = c.get("origin");
  return c.json({
    tenant_id: tenant.id,
    tenant_name: tenant.name,
    tenant_url: scimBaseUrl(origin),
    token_endpoint: `${origin}/oauth/token`,
  });
});
