// The directory's client ids: which tenant (and so which shard) a client belongs to, for the token
// endpoint, which knows nothing but the client id. The client row itself (secret hash, status) is
// on the tenant's shard.
import { eq } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { clientDirectory, tenantPlacement } from "../../platform/schema/tables";

export const registerClient = (directory: Db, clientId: string, tenantId: string) =>
  directory.insert(clientDirectory).values({ clientId, tenantId });

/** The client's tenant and that tenant's shard, in one directory read; undefined when unknown. */
export async function clientPlacement(directory: Db, clientId: string): Promise<{ tenantId: string; shard: string } | undefined> {
  const rows = await directory
    .select({ tenantId: clientDirectory.tenantId, shard: tenantPlacement.shard })
    .from(clientDirectory)
    .innerJoin(tenantPlacement, eq(tenantPlacement.tenantId, clientDirectory.tenantId))
    .where(eq(clientDirectory.clientId, clientId))
    .limit(1);
  return rows[0];
}
