// The tenant an admin route names in its path, or 404: one lookup shared by every admin module.
// Only active tenants: an offboarded tenant (deleting or deleted) has nothing left to administer
// but its own status (GET /admin/v1/tenants/{id}).
import { notFound } from "../../scim/errors";
import type { Db } from "../../platform/d1/db";
import { findTenant, type TenantRow } from "../storage/tenants";
import type { TenantJson } from "./responses";

export async function requireTenant(db: Db, id: string): Promise<TenantRow> {
  const tenant = await findTenant(db, id);
  if (!tenant) throw notFound(`tenant ${id} not found`);
  if (tenant.state !== "active") throw notFound(`tenant ${id} has been deleted`);
  return tenant;
}

/**
 * The tenant an admin route runs for (loaded by admin-tenant-shard), or 404 when it is offboarded:
 * deleting or deleted, it has nothing left to administer but its status.
 */
export function activeTenant(tenant: TenantRow): TenantRow {
  if (tenant.state !== "active") throw notFound(`tenant ${tenant.id} has been deleted`);
  return tenant;
}

/** The tenant whatever its state (status and offboarding routes), or 404. */
export async function requireAnyTenant(db: Db, id: string): Promise<TenantRow> {
  const tenant = await findTenant(db, id);
  if (!tenant) throw notFound(`tenant ${id} not found`);
  return tenant;
}

/** A tenant as the admin API shows it, with the shard (D1 binding) that holds its rows. */
export const tenantJson = (t: TenantRow, shard: string): TenantJson => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt,
  state: t.state,
  deletedAt: t.deletedAt ?? null,
  shard,
});
