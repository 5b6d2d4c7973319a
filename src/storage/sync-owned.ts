// The ownership ledger (hub_owned): which hub objects this connector created or adopted. The
// sync changes or deletes a hub object only when it is listed here; sweeps read it, never write it.
import { sql } from "drizzle-orm";
import type { Db } from "./db";
import { allSql, runSql } from "./raw-sql";

export type OwnedKind = "user" | "group";

/**
 * Before a create is sent: claim the SCIM ids (hub id unknown yet), so a create whose answer is
 * lost is still ours when a later lookup by externalRef finds it.
 */
export const claimOwnershipStatement = (db: Db, tenantId: string, kind: OwnedKind, scimIds: string[], now: string) =>
  runSql(db, sql`INSERT INTO hub_owned (tenant_id, kind, scim_id, hub_id, how, created_at)
    SELECT ${tenantId}, ${kind}, value, NULL, 'created', ${now} FROM json_each(${JSON.stringify(scimIds)}) WHERE true
    ON CONFLICT (tenant_id, kind, scim_id) DO NOTHING`);

/** Record the hub id of objects we created or adopted (the answer of a create, or an adoption). */
export const recordOwnershipStatement = (
  db: Db, tenantId: string, kind: OwnedKind, pairs: { scimId: string; hubId: string }[], how: "created" | "adopted", now: string,
) =>
  runSql(db, sql`INSERT INTO hub_owned (tenant_id, kind, scim_id, hub_id, how, created_at)
    SELECT ${tenantId}, ${kind}, json_extract(value, '$.scimId'), json_extract(value, '$.hubId'), ${how}, ${now}
    FROM json_each(${JSON.stringify(pairs)}) WHERE true
    ON CONFLICT (tenant_id, kind, scim_id) DO UPDATE SET hub_id = excluded.hub_id`);

/** We deleted these hub objects: they are no longer ours to manage. */
export const releaseOwnershipStatement = (db: Db, tenantId: string, kind: OwnedKind, scimIds: string[]) =>
  runSql(db, sql`DELETE FROM hub_owned WHERE tenant_id = ${tenantId} AND kind = ${kind}
    AND scim_id IN (SELECT value FROM json_each(${JSON.stringify(scimIds)}))`);

/** Ledger entries for these externalRefs: SCIM id → hub id (null while a create is unanswered). */
export const ownedByRefs = (db: Db, tenantId: string, kind: OwnedKind, refs: string[]) =>
  allSql<{ scim_id: string; hub_id: string | null }>(db, sql`SELECT o.scim_id, o.hub_id FROM json_each(${JSON.stringify(refs)}) j
    CROSS JOIN hub_owned o ON o.tenant_id = ${tenantId} AND o.kind = ${kind} AND o.scim_id = j.value`);

/** Is the hub object with this externalRef (and hub id) ours? */
export function isOwned(ledger: Map<string, string | null>, ref: string | null, hubId: string): boolean {
  if (!ref || !ledger.has(ref)) return false;
  const recorded = ledger.get(ref);
  return recorded === null || recorded === hubId;
}

/** SQL: the ledger lists `refColumn` (and, when recorded, the same hub id). */
export const ownedSql = (tenantId: string, kind: OwnedKind, refColumn: ReturnType<typeof sql>, hubIdColumn: ReturnType<typeof sql>) =>
  sql`EXISTS (SELECT 1 FROM hub_owned o WHERE o.tenant_id = ${tenantId} AND o.kind = ${kind} AND o.scim_id = ${refColumn}
    AND (o.hub_id IS NULL OR o.hub_id = ${hubIdColumn}))`;

/** How many hub objects of a kind are ours (the base of the mass-delete guard). */
export async function ownedCount(db: Db, tenantId: string, kind: OwnedKind): Promise<number> {
  const rows = await allSql<{ n: number }>(db, sql`SELECT count(*) AS n FROM hub_owned WHERE tenant_id = ${tenantId} AND kind = ${kind}`);
  return rows[0]?.n ?? 0;
}
