// Admin: a tenant's status, rename and offboarding. DELETE revokes everything at once and leaves
// the purge of its rows to the cron (src/tenancy/storage/tenant-purge.ts); GET shows how far it got.
import { Hono } from "hono";
import { notFound } from "../../scim/errors";
import { deleteTrustRoute } from "../../access/port";
import { remainingRows } from "../storage/tenant-purge";
import { findTenant, markTenantDeleting, renameTenant } from "../storage/tenants";
import { requireAnyTenant, activeTenant, tenantJson } from "./admin-tenant";
import { checkEnvelope, readJsonBody } from "../../http/body";
import { scimBaseUrl, type AdminTenantEnv } from "../../http/context";
import { NameBody } from "./tenants";
import type { ActiveTenantJson, OffboardedTenantJson } from "./responses";

export const tenantLifecycleRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const db = c.get("db");
    const tenant = c.var.tenant;
    if (tenant.state !== "active") {
      const remaining = await remainingRows(db, tenant.id);
      const offboarded: OffboardedTenantJson = { ...tenantJson(tenant, c.get("shard")), purge: { done: Object.keys(remaining).length === 0, remaining } };
      return c.json(offboarded);
    }
    const origin = c.get("origin");
    const active: ActiveTenantJson = { ...tenantJson(tenant, c.get("shard")), scim: { tenantUrl: scimBaseUrl(origin), tokenEndpoint: `${origin}/oauth/token` } };
    return c.json(active);
  })
  .patch("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const { name } = checkEnvelope(NameBody, await readJsonBody(c));
    const [renamed] = await renameTenant(db, tenant.id, name);
    if (!renamed) throw notFound(`tenant ${tenant.id} has been deleted`);
    return c.json(tenantJson(renamed, c.get("shard")));
  })
  .delete("/", async (c) => {
    const db = c.get("db");
    const tenant = c.var.tenant;
    // The directory's Entra trust first (no Entra token routes to the tenant from then on), then
    // the shard's batch; a failure in between leaves an active tenant that a retry offboards.
    if (tenant.state === "active") await deleteTrustRoute(c.get("directory"), tenant.id);
    if (tenant.state === "active" && (await markTenantDeleting(db, tenant.id, new Date().toISOString()))) {
      c.get("log").info("tenant offboarded", { tenantId: tenant.id });
    }
    // Repeating the call is harmless: it answers the current state.
    const now = (await findTenant(db, tenant.id))!;
    return c.json({ id: now.id, state: now.state, deletedAt: now.deletedAt }, 202);
  });
