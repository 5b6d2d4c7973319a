// Admin (operator only): a tenant's tenant-admin credentials. Tenant API tokens (list, inspect
// with what each created, revoke with what it created unless kept) and portal sessions (list, end
// with the API tokens they created unless kept). Setup links are in setup-links.ts, SCIM clients
// and tokens in tenants.ts. No secret is ever listed: only ids, names, dates and creators.
import { Hono } from "hono";
import { notFound } from "../../scim/errors";
import { endSession, listPortalSessions } from "../storage/portal-sessions";
import { createdByApiToken, findTenantApiToken, listTenantApiTokens, revokeTenantApiToken } from "../storage/tenant-api-tokens";
import { activeTenant } from "../../tenancy/port";
import type { AdminTenantEnv } from "../../http/context";
import { apiTokenJson, creatorJson } from "./credential-creator";
import { tokenJson } from "./token-json";
import type { PortalSessionJson } from "./responses";

function sessionStatus(r: { revokedAt: string | null; expiresAt: string }, now: string): PortalSessionJson["status"] {
  if (r.revokedAt) return "revoked";
  return r.expiresAt <= now ? "expired" : "active";
}

export const credentialRoutes = new Hono<AdminTenantEnv>()
  .get("/api-tokens", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    return c.json({ api_tokens: (await listTenantApiTokens(c.get("db"), tenant.id)).map(apiTokenJson) });
  })
  .get("/api-tokens/:tokenId", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const row = await findTenantApiToken(db, tenant.id, c.req.param("tokenId"));
    if (!row) throw notFound("API token not found");
    const created = await createdByApiToken(db, tenant.id, row.id);
    const now = new Date();
    return c.json({
      ...apiTokenJson(row),
      created: {
        clients: created.clients.map((r) => ({ client_id: r.clientId, name: r.name, status: r.status, created_at: r.createdAt, revoked_at: r.revokedAt, ...creatorJson(r) })),
        tokens: created.tokens.map((r) => tokenJson(r, now)),
      },
    });
  })
  .delete("/api-tokens/:tokenId", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    if (!(await revokeTenantApiToken(c.get("db"), tenant.id, c.req.param("tokenId"), new Date().toISOString()))) {
      throw notFound("API token not found or already revoked");
    }
    return c.body(null, 204);
  })
  .get("/portal-sessions", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    const now = new Date().toISOString();
    const rows = await listPortalSessions(c.get("db"), tenant.id);
    return c.json({
      portal_sessions: rows.map((r): PortalSessionJson => ({
        id: r.id,
        link_id: r.linkId,
        created_at: r.createdAt,
        expires_at: r.expiresAt,
        revoked_at: r.revokedAt,
        status: sessionStatus(r, now),
      })),
    });
  })
  .delete("/portal-sessions/:sessionId", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    if (!(await endSession(c.get("db"), tenant.id, c.req.param("sessionId"), new Date().toISOString()))) {
      throw notFound("portal session not found or already ended");
    }
    return c.body(null, 204);
  });
