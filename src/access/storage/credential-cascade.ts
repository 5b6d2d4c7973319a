// Ending a credential ends what it created (unless kept), in the same D1 batch: the API tokens a
// portal session made, and the SCIM clients and tokens an API token made, including those of the
// session's API tokens. `creators` is a subquery yielding created_by values ('session:<id>',
// 'api-token:<id>'). Nothing here ends a credential made with ends_with_creator = 0.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { runSql } from "../../platform/d1/raw-sql";

/** The statements that revoke every live credential derived from `creators` (three UPDATEs). */
export function derivedRevocations(db: Db, tenantId: string, creators: SQL, now: string) {
  // API tokens the creators made; their own creations are ended below with them.
  const endingApiTokens = sql`SELECT 'api-token:' || id FROM tenant_api_tokens
    WHERE tenant_id = ${tenantId} AND ends_with_creator = 1 AND created_by IN (${creators})`;
  const byCreator = sql`ends_with_creator = 1 AND (created_by IN (${creators}) OR created_by IN (${endingApiTokens}))`;
  return [
    runSql(db, sql`UPDATE tenant_api_tokens SET revoked_at = ${now}
      WHERE tenant_id = ${tenantId} AND revoked_at IS NULL AND ends_with_creator = 1 AND created_by IN (${creators})`),
    runSql(db, sql`UPDATE scim_clients SET status = 'revoked', revoked_at = ${now}
      WHERE tenant_id = ${tenantId} AND status = 'active' AND ${byCreator}`),
    runSql(db, sql`UPDATE issued_tokens SET revoked_at = ${now}
      WHERE tenant_id = ${tenantId} AND revoked_at IS NULL AND ${byCreator}`),
  ] as const;
}

export const sessionCreator = (sessionId: string) => sql`SELECT 'session:' || ${sessionId}`;
export const apiTokenCreator = (apiTokenId: string) => sql`SELECT 'api-token:' || ${apiTokenId}`;
export const linkSessionsCreator = (tenantId: string, linkId: string) =>
  sql`SELECT 'session:' || id FROM portal_sessions WHERE tenant_id = ${tenantId} AND link_id = ${linkId}`;
