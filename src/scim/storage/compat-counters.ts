// Read side of the per-tenant Entra compatibility counters.
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { compatCounters } from "../../platform/schema/tables";

export const listCompatCounters = (db: Db, tenantId: string) =>
  db
    .select({ rewrite: compatCounters.rewrite, count: compatCounters.count, lastSeenAt: compatCounters.lastSeenAt })
    .from(compatCounters)
    .where(eq(compatCounters.tenantId, tenantId))
    .orderBy(asc(compatCounters.rewrite));
