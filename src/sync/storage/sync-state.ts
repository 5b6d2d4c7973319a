// Per-tenant sync state: hub settings, started/stopped, due tenants, the lease (a conditional
// UPDATE, so two invocations can never run one tenant at once) and the cycle checkpoint.
import { and, asc, eq, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";
import { hubSettings, syncState } from "../../platform/schema/sync-tables";

export type SyncStateRow = typeof syncState.$inferSelect;
export type HubSettingsRow = typeof hubSettings.$inferSelect;

export async function findHubSettings(db: Db, tenantId: string): Promise<HubSettingsRow | undefined> {
  return (await db.select().from(hubSettings).where(eq(hubSettings.tenantId, tenantId)).limit(1))[0];
}

export const upsertHubSettings = (db: Db, row: HubSettingsRow) =>
  db
    .insert(hubSettings)
    .values(row)
    .onConflictDoUpdate({
      target: hubSettings.tenantId,
      set: {
        baseUrl: row.baseUrl,
        apiKeyCipher: row.apiKeyCipher,
        apiKeyHint: row.apiKeyHint,
        timeoutMs: row.timeoutMs,
        logRetentionDays: row.logRetentionDays,
        defaultPreferredLanguage: row.defaultPreferredLanguage,
        hubFieldMap: row.hubFieldMap,
        enforceNamingRules: row.enforceNamingRules,
        syncOnChange: row.syncOnChange,
        deletedUserGraceDays: row.deletedUserGraceDays,
        updatedAt: row.updatedAt,
      },
    });

/** Does the tenant refuse, at SCIM time, names the Device Hub's naming rules would refuse? */
export async function hubNamingRulesEnforced(db: Db, tenantId: string): Promise<boolean> {
  const rows = await db.select({ on: hubSettings.enforceNamingRules }).from(hubSettings).where(eq(hubSettings.tenantId, tenantId)).limit(1);
  return rows[0]?.on === true;
}

/** The per-tenant sync policies (hub-held userNames, mass-delete guard). */
export const updateHubPolicy = (db: Db, row: HubSettingsRow) =>
  db
    .update(hubSettings)
    .set({
      hubConflict: row.hubConflict,
      deleteThresholdPercent: row.deleteThresholdPercent,
      deleteThresholdMinimum: row.deleteThresholdMinimum,
      updatedAt: row.updatedAt,
    })
    .where(eq(hubSettings.tenantId, row.tenantId));

export const deleteHubSettings = (db: Db, tenantId: string) => db.delete(hubSettings).where(eq(hubSettings.tenantId, tenantId));

/** Create the state row if missing; a new tenant starts stopped, with an initial sweep owed. */
export const ensureSyncState = (db: Db, tenantId: string, now: string) =>
  db
    .insert(syncState)
    .values({ tenantId, started: false, nextRunAt: now, sweepRequested: "initial", updatedAt: now })
    .onConflictDoNothing();

export async function findSyncState(db: Db, tenantId: string): Promise<SyncStateRow | undefined> {
  return (await db.select().from(syncState).where(eq(syncState.tenantId, tenantId)).limit(1))[0];
}

export const updateSyncState = (db: Db, tenantId: string, set: Partial<Omit<SyncStateRow, "tenantId">>) =>
  db.update(syncState).set(set).where(eq(syncState.tenantId, tenantId));

/** Queue a full sweep unless an initial one is already owed (an initial sweep covers it). */
export const requestFullSweep = (db: Db, tenantId: string, now: string) =>
  db
    .update(syncState)
    .set({ sweepRequested: sql`coalesce(${syncState.sweepRequested}, 'fullSweep')`, nextRunAt: now, updatedAt: now })
    .where(eq(syncState.tenantId, tenantId));

/** Started tenants whose next run is due and whose hub is not rate-limiting us, oldest first. */
export const listDueTenants = (db: Db, now: string, limit: number) =>
  db
    .select({ tenantId: syncState.tenantId })
    .from(syncState)
    .where(
      and(
        eq(syncState.started, true),
        lte(syncState.nextRunAt, now),
        or(isNull(syncState.hubBlockedUntil), lte(syncState.hubBlockedUntil, now)),
        or(isNull(syncState.leaseUntil), lte(syncState.leaseUntil, now)),
      ),
    )
    .orderBy(asc(syncState.nextRunAt))
    .limit(limit);

/**
 * Take the tenant's lease: succeeds only when no other invocation holds an unexpired one.
 * Returns the state row when taken, undefined when busy or stopped.
 */
export async function takeLease(db: Db, tenantId: string, leaseId: string, now: string, until: string): Promise<SyncStateRow | undefined> {
  const rows = await db
    .update(syncState)
    .set({ leaseId, leaseUntil: until })
    .where(
      and(
        eq(syncState.tenantId, tenantId),
        eq(syncState.started, true),
        or(isNull(syncState.leaseUntil), lte(syncState.leaseUntil, now)),
        // A tenant being moved between shards goes on syncing on the source while its rows are
        // copied (the move's triggers journal the sync's writes like any other), but not once the
        // switch has begun there, and never on the destination before the flip. The switch itself
        // begins only while no lease is live (startSwitch): one of the two statements wins.
        sql`NOT EXISTS (SELECT 1 FROM tenant_moving m WHERE m.tenant_id = ${tenantId} AND NOT (m.role = 'source' AND m.state = 'copying'))`,
      ),
    )
    .returning();
  return rows[0];
}

/** Columns of a sync_state write: values, or SQL computed in the statement itself. */
export type SyncStateSet = { [K in keyof Omit<SyncStateRow, "tenantId">]?: SyncStateRow[K] | SQL };

/** A checkpoint write that only lands while this invocation still holds the lease. */
export const leasedUpdate = (db: Db, tenantId: string, leaseId: string, set: SyncStateSet) =>
  db.update(syncState).set(set).where(and(eq(syncState.tenantId, tenantId), eq(syncState.leaseId, leaseId)));

export const releaseLease = (db: Db, tenantId: string, leaseId: string, set: SyncStateSet) =>
  leasedUpdate(db, tenantId, leaseId, { ...set, leaseId: null, leaseUntil: null });

/**
 * The next run after a cycle finished at `now`: the periodic one at `latest`, or sooner when a
 * queued item backing off falls due before it. Items already due that the cycle left alone
 * (deletions the mass-delete guard holds) wait for the periodic run. Computed in the release
 * statement (no extra read).
 */
export const nextRunAtOrEarliestItem = (tenantId: string, now: string, latest: string): SQL =>
  sql`min(${latest}, coalesce((SELECT min(w.next_at) FROM sync_work w
    WHERE w.tenant_id = ${tenantId} AND w.parked = 0 AND w.pending = 0 AND w.next_at > ${now}), ${latest}))`;

/**
 * The mass-delete guard's decision for one kind, as a checkpoint-batch statement: the number of
 * deletions waiting (0: they flow). The status shows awaitingConfirmation while any wait.
 */
export const setDeletionsHeldStatement = (db: Db, tenantId: string, kind: "users" | "groups", held: number) =>
  runSql(db, sql`UPDATE sync_state SET deletions_held = CASE
      WHEN json_extract(json_set(coalesce(deletions_held, '{"users":0,"groups":0}'), ${`$.${kind}`}, ${held}), '$.users') = 0
       AND json_extract(json_set(coalesce(deletions_held, '{"users":0,"groups":0}'), ${`$.${kind}`}, ${held}), '$.groups') = 0 THEN NULL
      ELSE json_set(coalesce(deletions_held, '{"users":0,"groups":0}'), ${`$.${kind}`}, ${held}) END
    WHERE tenant_id = ${tenantId}`);

/** Count a SCIM userName check that had to fall back to the mirror (one statement, no read). */
export const countNameCheckFallback = (db: Db, tenantId: string, now: string) =>
  runSql(db, sql`UPDATE sync_state SET name_check_fallbacks = name_check_fallbacks + 1, name_check_fallback_at = ${now}
    WHERE tenant_id = ${tenantId}`);

/**
 * "Run now" and "full sweep": a sweep that backed off after failing runs is retried at once
 * (its run count stays, so a sweep that fails again backs off again, longer).
 */
export const retrySweepNowStatement = (db: Db, tenantId: string) =>
  runSql(db, sql`UPDATE sync_state SET stuck = json_remove(stuck, '$.retryAt')
    WHERE tenant_id = ${tenantId} AND json_extract(stuck, '$.retryAt') IS NOT NULL`);

/**
 * Move the tenant to a lane (a release-statement fragment): lane_since keeps its time while the
 * lane stays the same. SET expressions read the row as it was, so the CASE sees the old lane.
 */
export const laneSet = (lane: "fast" | "slow", now: string): SyncStateSet => ({
  lane,
  laneSince: sql`CASE WHEN lane = ${lane} THEN lane_since ELSE ${now} END`,
});

/** Of these tenants, the ones in the slow lane (one round trip). */
export async function slowLaneTenants(db: Db, tenantIds: string[]): Promise<Set<string>> {
  if (tenantIds.length === 0) return new Set();
  const rows = await allSql<{ tenant_id: string }>(db, sql`SELECT tenant_id FROM sync_state
    WHERE tenant_id IN (SELECT value FROM json_each(${JSON.stringify(tenantIds)})) AND lane = 'slow'`);
  return new Set(rows.map((r) => r.tenant_id));
}
