// The customer's request log: a tenant's SCIM writes from the audit log (newest first, by seq),
// the names of the users and groups they touched, and the last hour's failure count. Admin and
// portal rows of the same log are left out: they are not requests of the identity provider.
import { and, desc, eq, gte, inArray, lt, notInArray, or, sql } from "drizzle-orm";
import type { Db } from "../platform/d1/db";
import { auditLog, groups, users } from "../platform/schema/tables";

/** client_id values of audit rows that are not SCIM requests (src/audit/middleware.ts). */
const NOT_SCIM_CLIENTS = ["admin", "tenant-admin", "portal"];
const scimRows = (tenantId: string) => and(eq(auditLog.tenantId, tenantId), notInArray(auditLog.clientId, NOT_SCIM_CLIENTS));

export type RequestRow = typeof auditLog.$inferSelect;

/** Newest first before the cursor (a seq); `failuresOnly`: status ≥ 400; `resource`: a SCIM id or a name. */
export async function listRequests(
  db: Db,
  tenantId: string,
  opts: { before?: number; failuresOnly: boolean; resource?: string; limit: number },
): Promise<{ rows: RequestRow[]; more: boolean }> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        scimRows(tenantId),
        opts.before === undefined ? undefined : lt(auditLog.seq, opts.before),
        opts.failuresOnly ? gte(auditLog.status, 400) : undefined,
        opts.resource === undefined
          ? undefined
          : or(
              eq(auditLog.resourceId, opts.resource),
              sql`lower(${auditLog.resourceName}) = lower(${opts.resource})`,
              // Writes that named it by id (PATCH, DELETE) of the user or group called that now.
              inArray(auditLog.resourceId, db.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.userNameLc, opts.resource.toLowerCase())))),
              inArray(auditLog.resourceId, db.select({ id: groups.id }).from(groups).where(and(eq(groups.tenantId, tenantId), eq(groups.displayNameLc, opts.resource.toLowerCase())))),
            ),
      ),
    )
    .orderBy(desc(auditLog.seq))
    .limit(opts.limit + 1);
  return { rows: rows.slice(0, opts.limit), more: rows.length > opts.limit };
}

/** The current userName / displayName of the users and groups these rows name, by SCIM id. */
export const currentNames = (db: Db, tenantId: string, rows: RequestRow[]) =>
  resourceNames(db, tenantId, rows.map((r) => r.resourceId));

/**
 * userName / displayName by SCIM id for ids that may be users or groups (SCIM ids are UUIDs, so
 * one id is never both): lists of hub operations and requests show them beside the ids.
 */
export async function resourceNames(db: Db, tenantId: string, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === "string" && id !== ""))];
  const names = new Map<string, string>();
  if (wanted.length === 0) return names;
  // The ids travel as one JSON parameter: a page of 500 log entries names up to 1,000 resources,
  // and D1 refuses a statement with more than 100 bound parameters.
  const idList = sql`(SELECT value FROM json_each(${JSON.stringify(wanted)}))`;
  const [u, g] = await Promise.all([
    db.select({ id: users.id, name: users.userName }).from(users).where(and(eq(users.tenantId, tenantId), sql`${users.id} IN ${idList}`)),
    db.select({ id: groups.id, name: groups.displayName }).from(groups).where(and(eq(groups.tenantId, tenantId), sql`${groups.id} IN ${idList}`)),
  ]);
  for (const r of [...u, ...g]) names.set(r.id, r.name);
  return names;
}

/** SCIM writes and failed ones since `since` (Entra quarantines a job when most of its requests fail). */
export async function requestCounts(db: Db, tenantId: string, since: string): Promise<{ requests: number; failures: number }> {
  const [row] = await db
    .select({ requests: sql<number>`count(*)`, failures: sql<number>`coalesce(sum(${auditLog.status} >= 400), 0)` })
    .from(auditLog)
    .where(and(scimRows(tenantId), gte(auditLog.at, since)));
  return { requests: Number(row?.requests ?? 0), failures: Number(row?.failures ?? 0) };
}
