// The audit log: append one row per audited request, read a tenant's rows by cursor, prune old
// rows in bounded chunks (≤ 1,000 rows per statement).
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "../platform/d1/db";
import { runSql } from "../platform/d1/raw-sql";
import { auditLog } from "../platform/schema/tables";
import type { AuditEntryJson } from "./responses";

export type AuditRow = typeof auditLog.$inferInsert;

export const PRUNE_CHUNK = 1000;

/**
 * Append a row, but only while the tenant is active: a row written (in waitUntil) after an
 * offboarding would outlive the tenant's purge.
 */
export const insertAudit = (db: Db, row: AuditRow) =>
  runSql(db, sql`INSERT INTO audit_log (tenant_id, at, client_id, request_id, method, path, resource_type, resource_id, status, rewrites, actor,
      resource_name, error_type, error_detail)
    SELECT ${row.tenantId}, ${row.at}, ${row.clientId}, ${row.requestId}, ${row.method}, ${row.path}, ${row.resourceType ?? null},
      ${row.resourceId ?? null}, ${row.status}, ${JSON.stringify(row.rewrites)}, ${row.actor ?? null},
      ${row.resourceName ?? null}, ${row.errorType ?? null}, ${row.errorDetail ?? null}
    WHERE EXISTS (SELECT 1 FROM tenants WHERE id = ${row.tenantId} AND state = 'active')`);

/**
 * Newest first from the cursor (a seq: rows before it); `since` ≤ at < `until`. `limit + 1`
 * rows are read to know whether more exist.
 */
export async function listAudit(
  db: Db,
  tenantId: string,
  opts: { before?: number; since?: string; until?: string; limit: number },
): Promise<{ entries: AuditEntryJson[]; last?: number; more: boolean }> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        opts.before === undefined ? undefined : lt(auditLog.seq, opts.before),
        opts.since === undefined ? undefined : gte(auditLog.at, opts.since),
        opts.until === undefined ? undefined : lt(auditLog.at, opts.until),
      ),
    )
    .orderBy(desc(auditLog.seq))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  return {
    entries: page.map(({ seq: _seq, tenantId: _t, ...e }) => e),
    last: page.at(-1)?.seq,
    more: rows.length > opts.limit,
  };
}

/** Delete rows older than `before`, at most `maxChunks` × PRUNE_CHUNK per call. Returns rows deleted. */
export async function pruneAudit(db: Db, before: string, maxChunks = 10): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < maxChunks; i++) {
    const res = await runSql(
      db,
      sql`DELETE FROM audit_log WHERE seq IN (SELECT seq FROM audit_log WHERE at < ${before} ORDER BY at LIMIT ${PRUNE_CHUNK})`,
    );
    const changes = res.meta.changes;
    deleted += changes;
    if (changes < PRUNE_CHUNK) break;
  }
  return deleted;
}
