// The values a customer's IT admin types into Entra: the Tenant URL and the token endpoint, also
// in the terms of Eptura's guide (its token provider URL and its Tenant URL), and the extension
// schemas an Entra mapping may target for this tenant (undeclared extensions are dropped).
import { Hono } from "hono";
import { additionalAttributesSchema } from "../../../scim/port";
import { extensionSchema } from "../../../scim/port";
import { listTenantExtensions } from "../../../scim/port";
import { requireTenant } from "../../../tenancy/port";
import { scimBaseUrl, type PortalEnv } from "../../../http/context";
import { portalAuth } from "../portal-auth";
import { specOfRow } from "../../../scim/port";
import { EPTURA_TOKEN_PATH } from "../eptura-token";
import type { ConnectionJson } from "../responses";

/** Eptura's Tenant URL, with the trailing slash its guide writes (src/http/normalize-url.ts routes it). */
const EPTURA_SCIM_BASE = "/scim/api/V1/";

export const portalConnectionRoutes = new Hono<PortalEnv>().get("/connection", portalAuth, async (c) => {
  const db = c.get("db");
  const tenant = await requireTenant(db, c.var.principal.tenantId);
  const origin = c.get("origin");
  const declared = (await listTenantExtensions(db, tenant.id)).map((row) => extensionSchema(specOfRow(row)));
  const connection: ConnectionJson = {
    tenant_id: tenant.id,
    tenant_name: tenant.name,
    tenant_url: scimBaseUrl(origin),
    token_endpoint: `${origin}/oauth/token`,
    token_provider_url: `${origin}${EPTURA_TOKEN_PATH}`,
    eptura_tenant_url: `${origin}${EPTURA_SCIM_BASE}`,
    extensions: [
      { schema: additionalAttributesSchema, builtIn: true },
      ...declared.map((schema) => ({ schema, builtIn: false })),
    ].map(({ schema, builtIn }) => ({ urn: schema.id, builtIn, attributes: schema.attributes.map((a) => a.name) })),
  };
  return c.json(connection);
});
