// The ownership ledger (hub_owned): which hub objects this connector created or adopted. The
// sync changes or deletes a hub object only when it is listed here; sweeps read it, never write it.
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";

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
  runSql(db, sql`INSERT INTO hub_owned (tenant_id, kind, scim_id, hub_id, how, ref_pending, created_at)
    SELECT ${tenantId}, ${kind}, json_extract(value, '$.scimId'), json_extract(value, '$.hubId'), ${how}, ${how === "adopted" ? 1 : 0}, ${now}
    FROM json_each(${JSON.stringify(pairs)}) WHERE true
    ON CONFLICT (tenant_id, kind, scim_id) DO UPDATE SET hub_id = excluded.hub_id`);

/**
 * Adopt the hub-made holder of a name for a SCIM create (policy adopt) found in the sync rather
 * than at SCIM time, pending until its externalRef reaches the hub — unless the ledger already
 * gives that hub user to another SCIM resource.
 */
export const adoptHolderStatement = (db: Db, tenantId: string, scimId: string, hubId: string, now: string) =>
  runSql(db, sql`INSERT INTO hub_owned (tenant_id, kind, scim_id, hub_id, how, ref_pending, created_at)
    SELECT ${tenantId}, 'user', ${scimId}, ${hubId}, 'adopted', 1, ${now}
    WHERE NOT EXISTS (SELECT 1 FROM hub_owned WHERE tenant_id = ${tenantId} AND kind = 'user' AND hub_id = ${hubId})
    ON CONFLICT (tenant_id, kind, scim_id) DO UPDATE SET hub_id = excluded.hub_id, how = 'adopted', ref_pending = 1`);

/** The hub user now carries our externalRef: an adoption of it is finished. */
export const adoptionFinishedStatement = (db: Db, tenantId: string, scimId: string, hubId: string) =>
  runSql(db, sql`UPDATE hub_owned SET ref_pending = 0 WHERE tenant_id = ${tenantId} AND kind = 'user'
    AND scim_id = ${scimId} AND hub_id = ${hubId} AND ref_pending = 1`);

/** Adoptions whose externalRef has not reached the hub yet, with the SCIM user to send (≤ limit). */
export const pendingAdoptions = (db: Db, tenantId: string, limit: number) =>
  allSql<{ scim_id: string; hub_id: string; version: number; doc: string }>(db, sql`
    SELECT o.scim_id, o.hub_id, u.version, u.doc FROM hub_owned o
    CROSS JOIN users u ON u.tenant_id = o.tenant_id AND u.id = o.scim_id
    WHERE o.tenant_id = ${tenantId} AND o.kind = 'user' AND o.ref_pending = 1 AND o.hub_id IS NOT NULL
    ORDER BY o.scim_id LIMIT ${limit}`);

/**
 * Ledger entries for these hub ids: hub id → SCIM id (ours whatever externalRef the hub shows),
 * and until when a kept account is kept.
 */
export const ownedByHubIds = (db: Db, tenantId: string, kind: OwnedKind, hubIds: string[]) =>
  allSql<{ scim_id: string; hub_id: string; kept_until: string | null }>(db, sql`SELECT o.scim_id, o.hub_id, o.kept_until FROM json_each(${JSON.stringify(hubIds)}) j
    CROSS JOIN hub_owned o ON o.tenant_id = ${tenantId} AND o.kind = ${kind} AND o.hub_id = j.value`);

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

/** A work item's ledger entry (from the item read): does it cover the hub object `hubId`? */
export const ledgerCovers = (entry: { claimed: boolean; ledgerHubId: string | null }, hubId: string) =>
  entry.claimed && (entry.ledgerHubId === null || entry.ledgerHubId === hubId);

/**
 * A deleted SCIM user's hub account was deactivated: the ledger keeps it until `until`
 * (docs/device-hub.md#kept-hub-accounts), so a re-create of its userName can relink it. A claim
 * whose create answer was lost (hub id null) learns the hub id here: the relink looks it up by it.
 */
export const keepOwnedStatement = (db: Db, tenantId: string, scimId: string, hubId: string, until: string) =>
  runSql(db, sql`UPDATE hub_owned SET kept_until = ${until}, hub_id = ${hubId} WHERE tenant_id = ${tenantId} AND kind = 'user'
    AND scim_id = ${scimId} AND (hub_id IS NULL OR hub_id = ${hubId})`);

/**
 * A re-created user (same userName) took over the kept hub account: the ledger entry moves to the
 * new SCIM id and is no longer kept; the hub user now carries the new externalRef. A bare claim
 * the new id may hold (a create attempt that the hub refused for this very name) makes way.
 * An insert and a delete rather than an UPDATE of the key: a tenant move's journal triggers
 * record the new key on insert and the old one on delete (an UPDATE records only the new key,
 * which would leave the old entry behind in the copy).
 */
export const relinkOwnedStatements = (db: Db, tenantId: string, fromScimId: string, toScimId: string, hubId: string) => [
  runSql(db, sql`DELETE FROM hub_owned WHERE tenant_id = ${tenantId} AND kind = 'user' AND scim_id = ${toScimId} AND hub_id IS NULL`),
  runSql(db, sql`INSERT INTO hub_owned (tenant_id, kind, scim_id, hub_id, how, ref_pending, kept_until, created_at)
    SELECT tenant_id, kind, ${toScimId}, ${hubId}, how, 0, NULL, created_at FROM hub_owned
    WHERE tenant_id = ${tenantId} AND kind = 'user' AND scim_id = ${fromScimId} AND (hub_id IS NULL OR hub_id = ${hubId})
    ON CONFLICT (tenant_id, kind, scim_id) DO UPDATE SET hub_id = excluded.hub_id, kept_until = NULL, ref_pending = 0`),
  runSql(db, sql`DELETE FROM hub_owned WHERE tenant_id = ${tenantId} AND kind = 'user' AND scim_id = ${fromScimId}
    AND (hub_id IS NULL OR hub_id = ${hubId})`),
];

/**
 * Kept accounts whose grace period is over, queued as user items (their plan is the delete, which
 * the mass-delete guard weighs like any other); ≤ limit per call, the next cycle queues the rest.
 */
export const queueExpiredKeptStatement = (db: Db, tenantId: string, now: string, limit: number) =>
  runSql(db, sql`INSERT INTO sync_work (tenant_id, kind, resource_id, member_id, pending, attempts, next_at, parked, created_at, updated_at)
    SELECT ${tenantId}, 'user', o.scim_id, '', 0, 0, ${now}, 0, ${now}, ${now} FROM hub_owned o
    WHERE o.tenant_id = ${tenantId} AND o.kept_until IS NOT NULL AND o.kept_until <= ${now} AND o.kind = 'user'
      AND NOT EXISTS (SELECT 1 FROM sync_work w WHERE w.tenant_id = ${tenantId} AND w.kind = 'user' AND w.resource_id = o.scim_id AND w.member_id = '')
    LIMIT ${limit}
    ON CONFLICT (tenant_id, kind, resource_id, member_id) DO NOTHING`);

/** A kept account's userName is wanted by another of our users (a rename): its grace ends now. */
export const endKeptNowStatement = (db: Db, tenantId: string, scimIds: string[], now: string) =>
  runSql(db, sql`UPDATE hub_owned SET kept_until = ${now} WHERE tenant_id = ${tenantId} AND kind = 'user'
    AND kept_until > ${now} AND scim_id IN (SELECT value FROM json_each(${JSON.stringify(scimIds)}))`);
