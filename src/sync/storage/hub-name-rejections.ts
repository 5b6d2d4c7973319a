// Hub-held userNames, as a list an admin can act on: SCIM creates refused at the SCIM edge
// because a hub account that is not ours holds the name (hub_name_rejections), and SCIM users
// whose hub create was parked for the same reason. Adopting one links that hub account: ledger
// (adopted, finished by the next run), mirror, and for a refused create the SCIM user itself.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";
import { runParts } from "../../platform/d1/batch";
import type { HubHeldNameJson } from "../admin/responses";

export interface RejectedCreate {
  userName: string;
  scimId: string;
  doc: Record<string, unknown>;
  holderHubId: string;
  holderExternalRef: string | null;
}

/** A SCIM create was refused for a hub-held name: keep its document and the holder (one row per name). */
export const recordNameRejection = (db: Db, tenantId: string, r: RejectedCreate, now: string) =>
  runSql(db, sql`INSERT INTO hub_name_rejections (tenant_id, user_name_lc, user_name, scim_id, doc, holder_hub_id, holder_external_ref, rejections, first_at, last_at)
    VALUES (${tenantId}, ${r.userName.toLowerCase()}, ${r.userName}, ${r.scimId}, ${JSON.stringify(r.doc)}, ${r.holderHubId}, ${r.holderExternalRef}, 1, ${now}, ${now})
    ON CONFLICT (tenant_id, user_name_lc) DO UPDATE SET user_name = excluded.user_name, scim_id = excluded.scim_id, doc = excluded.doc,
      holder_hub_id = excluded.holder_hub_id, holder_external_ref = excluded.holder_external_ref,
      rejections = hub_name_rejections.rejections + 1, last_at = excluded.last_at`);

/** A hub-held name as the API shows it, and what adopting it needs. */
export interface HubHeldName extends HubHeldNameJson {
  /** The refused create's document (rejectedCreate only; not shown by the API). */
  doc?: Record<string, unknown>;
}

const LIST_LIMIT = 500;

/** Both kinds, by userName; at most 500 of each (the answer says when there are more). */
export async function listHubHeldNames(db: Db, tenantId: string, names: string[] | null = null): Promise<{ items: HubHeldName[]; truncated: boolean }> {
  const only = names === null ? sql`` : sql`AND r.user_name_lc IN (SELECT value FROM json_each(${JSON.stringify(names)}))`;
  const onlyParked = names === null ? sql`` : sql`AND u.user_name_lc IN (SELECT value FROM json_each(${JSON.stringify(names)}))`;
  const { rejected, parked } = await runParts(db, {
    rejected: allSql<{ user_name: string; scim_id: string; doc: string; holder_hub_id: string; holder_external_ref: string | null; rejections: number; first_at: string; last_at: string }>(db, sql`
      SELECT r.user_name, r.scim_id, r.doc, r.holder_hub_id, r.holder_external_ref, r.rejections, r.first_at, r.last_at FROM hub_name_rejections r
      WHERE r.tenant_id = ${tenantId} ${only}
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = r.tenant_id AND u.user_name_lc = r.user_name_lc)
      ORDER BY r.user_name_lc LIMIT ${LIST_LIMIT + 1}`),
    parked: allSql<{ user_name: string; scim_id: string; hub_id: string; updated_at: string }>(db, sql`
      SELECT u.user_name, u.id AS scim_id, h.hub_id, w.updated_at FROM sync_work w
      CROSS JOIN users u ON u.tenant_id = w.tenant_id AND u.id = w.resource_id
      CROSS JOIN hub_users h ON h.tenant_id = w.tenant_id AND h.user_name_lc = u.user_name_lc AND h.external_ref IS NULL
      WHERE w.tenant_id = ${tenantId} AND w.kind = 'user' AND w.parked = 1 AND w.last_error LIKE '%user_name_taken%' ${onlyParked}
        AND NOT EXISTS (SELECT 1 FROM hub_users m WHERE m.tenant_id = w.tenant_id AND m.external_ref = w.resource_id)
      ORDER BY u.user_name_lc LIMIT ${LIST_LIMIT + 1}`),
  });
  const items: HubHeldName[] = [
    ...rejected.slice(0, LIST_LIMIT).map((r) => ({
      userName: r.user_name, source: "rejectedCreate" as const, scimId: r.scim_id,
      holder: { hubId: r.holder_hub_id, externalRef: r.holder_external_ref }, rejections: r.rejections, since: r.first_at, lastAt: r.last_at,
      doc: JSON.parse(r.doc) as Record<string, unknown>,
    })),
    ...parked.slice(0, LIST_LIMIT).map((r) => ({
      userName: r.user_name, source: "parkedCreate" as const, scimId: r.scim_id,
      holder: { hubId: r.hub_id, externalRef: null }, rejections: 1, since: r.updated_at, lastAt: r.updated_at,
    })),
  ].sort((a, b) => (a.userName.toLowerCase() < b.userName.toLowerCase() ? -1 : 1));
  return { items, truncated: rejected.length > LIST_LIMIT || parked.length > LIST_LIMIT };
}

export const forgetNameRejectionStatement = (db: Db, tenantId: string, userNameLc: string) =>
  runSql(db, sql`DELETE FROM hub_name_rejections WHERE tenant_id = ${tenantId} AND user_name_lc = ${userNameLc}`);

/** Readopt a parked create: the item runs again at once (the hub user is ours now, an update). */
export const unparkForAdoptionStatement = (db: Db, tenantId: string, scimId: string, now: string) =>
  runSql(db, sql`UPDATE sync_work SET parked = 0, attempts = 0, next_at = ${now}, last_error = NULL, updated_at = ${now}
    WHERE tenant_id = ${tenantId} AND kind = 'user' AND resource_id = ${scimId} AND member_id = ''`);
