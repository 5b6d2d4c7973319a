// A tenant's schema registry (built-in schemas plus the extensions it declared), read on the SCIM
// hot path through a short per-isolate cache like the rate-limit tier: most requests cost no D1
// round trip for it. An admin change is seen at once by the isolate that made it, by others
// within CACHE_MS (docs/scim.md).
import { buildRegistry, type SchemaRegistry } from "../schema/registry";
import { parseExtensionDeclaration, toDeclaration, type ExtensionSpec } from "../schema/declared-extension";
import type { Db } from "../../platform/d1/db";
import { ttlCache } from "../../platform/ttl-cache";
import { listTenantExtensions, type TenantExtensionRow } from "../storage/tenant-extensions";

const CACHE_MS = 30_000;
const cache = ttlCache<SchemaRegistry>(CACHE_MS);

/** A stored row back into the checked declaration (the same rules as when it was accepted). */
export function specOfRow(row: TenantExtensionRow): ExtensionSpec {
  return parseExtensionDeclaration(row.schemaUrn, {
    resourceType: row.resourceType,
    name: row.name,
    description: row.description,
    attributes: row.attributes,
  });
}

export async function tenantSchemas(db: Db, tenantId: string, now = Date.now()): Promise<SchemaRegistry> {
  return cache.get(
    tenantId,
    async () => buildRegistry((await listTenantExtensions(db, tenantId)).map((row) => toDeclaration(specOfRow(row)))),
    now,
  );
}

/** After an admin change: this isolate reads the tenant's declarations again on its next request. */
export function forgetTenantSchemas(tenantId: string): void {
  cache.forget(tenantId);
}
