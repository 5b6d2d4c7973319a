// Statements that ride in the same batch as every SCIM write: the sync outbox row and the
// per-tenant Entra compatibility counters.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { compatCounters, syncOutbox } from "../../platform/schema/tables";
import type { Rewrite } from "../compat/entra";

export type OutboxAction = "upsert" | "delete" | "members";

export function outboxRow(
  db: Db,
  tenantId: string,
  resourceType: "User" | "Group",
  resourceId: string,
  action: OutboxAction,
  now: string,
  payload: Record<string, unknown> | null = null,
) {
  return db.insert(syncOutbox).values({ tenantId, resourceType, resourceId, action, payload, createdAt: now });
}

export function compatCounterUpserts(db: Db, tenantId: string, rewrites: Rewrite[], now: string) {
  const counts = new Map<string, number>();
  for (const r of rewrites) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([rewrite, n]) =>
    db
      .insert(compatCounters)
      .values({ tenantId, rewrite, count: n, lastSeenAt: now })
      .onConflictDoUpdate({
        target: [compatCounters.tenantId, compatCounters.rewrite],
        set: { count: sql`${compatCounters.count} + ${n}`, lastSeenAt: now },
      }),
  );
}
