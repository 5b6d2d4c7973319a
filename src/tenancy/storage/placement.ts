// Where each tenant lives: the directory's tenant_placement rows, and the choice of a shard for a
// new tenant (the one with the most room; docs/architecture.md "Storage scale-out").
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { tenantPlacement } from "../../platform/schema/tables";

/**
 * Tables that live in the directory, not on a tenant's shard: a tenant purge or move leaves them
 * alone (they exist in every database because migrations are shared, and stay empty elsewhere).
 */
export const DIRECTORY_TABLES = ["tenant_placement", "shard_stats", "client_directory", "entra_trust_directory"] as const;

/** The tenant's shard, or null when the directory does not know the tenant. */
export async function placementOf(directory: Db, tenantId: string): Promise<string | null> {
  const rows = await directory.select({ shard: tenantPlacement.shard }).from(tenantPlacement).where(eq(tenantPlacement.tenantId, tenantId)).limit(1);
  return rows[0]?.shard ?? null;
}

/** Place (or move) a tenant; a statement, so it can join a directory batch. */
export const setPlacement = (directory: Db, tenantId: string, shard: string, movedAt: string | null = null) =>
  directory
    .insert(tenantPlacement)
    .values({ tenantId, shard, movedAt })
    .onConflictDoUpdate({ target: tenantPlacement.tenantId, set: { shard, movedAt } });

/** Several tenants' shards in one query (a queue batch); unknown tenants are absent. */
export async function placementsOf(directory: Db, tenantIds: string[]): Promise<Map<string, string>> {
  if (tenantIds.length === 0) return new Map();
  const rows = await directory
    .select({ tenantId: tenantPlacement.tenantId, shard: tenantPlacement.shard })
    .from(tenantPlacement)
    .where(inArray(tenantPlacement.tenantId, sql`(SELECT value FROM json_each(${JSON.stringify(tenantIds)}))`));
  return new Map(rows.map((r) => [r.tenantId, r.shard]));
}

/** Every placement, for the tenant list (ids and shards only: the rows are on the shards). */
export const listPlacements = (directory: Db) =>
  directory.select({ tenantId: tenantPlacement.tenantId, shard: tenantPlacement.shard }).from(tenantPlacement);

/** Tenants placed per shard (tombstones included: they keep rows until purged). */
export async function tenantCounts(directory: Db): Promise<Map<string, number>> {
  const rows = await directory
    .select({ shard: tenantPlacement.shard, n: sql<number>`count(*)` })
    .from(tenantPlacement)
    .groupBy(tenantPlacement.shard);
  return new Map(rows.map((r) => [r.shard, r.n]));
}

/**
 * Sizes closer than this count as equal: shards a few pages apart then share new tenants by count
 * instead of one of them taking every tenant until it is a page larger.
 */
export const PLACEMENT_SIZE_STEP = 64 * 1024 * 1024;

export interface ShardLoad {
  shard: string;
  sizeBytes: number;
  tenants: number;
}

/**
 * The shard with the most room: the smallest size (in PLACEMENT_SIZE_STEP steps; every D1 database
 * has the same 10 GB cap), then the fewest tenants, then the first name. Deterministic.
 */
export function roomiest(loads: ShardLoad[]): string {
  const step = (l: ShardLoad) => Math.floor(l.sizeBytes / PLACEMENT_SIZE_STEP);
  const sorted = [...loads].sort((a, b) => step(a) - step(b) || a.tenants - b.tenants || a.shard.localeCompare(b.shard));
  const first = sorted[0];
  if (!first) throw new Error("no shard to place a tenant on");
  return first.shard;
}

/**
 * Tenants grouped by their shard, in one directory read. A tenant the directory does not know
 * goes with DB, where every tenant lived before shards (its run then finds nothing to do).
 */
export async function groupByShard(directory: Db, tenantIds: string[], fallback: string): Promise<Map<string, string[]>> {
  const placed = await placementsOf(directory, tenantIds);
  const groups = new Map<string, string[]>();
  for (const id of tenantIds) {
    const shard = placed.get(id) ?? fallback;
    groups.set(shard, [...(groups.get(shard) ?? []), id]);
  }
  return groups;
}
