// The tenant an admin route names in its path, or 404: one lookup shared by every admin module.
import { notFound } from "../scim/errors";
import type { Db } from "../storage/db";
import { findTenant, type TenantRow } from "../storage/tenants";

export async function requireTenant(db: Db, id: string): Promise<TenantRow> {
  const tenant = await findTenant(db, id);
  if (!tenant) throw notFound(`tenant ${id} not found`);
  return tenant;
}
