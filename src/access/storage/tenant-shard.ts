// A SCIM request's tenant database, opened from the token's shard claim with no directory read.
// When that shard no longer holds the tenant (it moved: no `tenants` row there), the token gate's
// first check says so; the gate then calls relocate(): one placement read, and the same request
// continues on the tenant's shard (tokens issued before a move keep working).
import type { Bindings } from "../../config";
import { createDb, type Db } from "../../platform/d1/db";
import { placementOf } from "../../tenancy/port";
import { DIRECTORY_SHARD, directoryDb, isShard, shardD1 } from "../../platform/d1/shards";

export interface TenantShard {
  db: Db;
  /** The shard `db` currently runs on. */
  name(): string;
  /** Move to the tenant's placed shard if it differs from the current one (once per request). */
  relocate(): Promise<boolean>;
}

// Tenants this isolate found on another shard than their tokens say (keyed by tenant and claimed
// shard): their next requests start there, so an old token (Entra keeps ours for years) costs the
// extra read once per isolate, not once per request.
const movedTenants = new Map<string, string>();
const movedKey = (tenantId: string, claimed: string | undefined) => `${tenantId}\n${claimed ?? ""}`;
function remember(key: string, shard: string) {
  if (movedTenants.size > 10_000) movedTenants.clear();
  movedTenants.set(key, shard);
}

/** A D1 binding whose target can change between statements; drizzle prepares per execution. */
function switchableD1(initial: D1Database) {
  let target = initial;
  const d1 = {
    prepare: (query: string) => target.prepare(query),
    batch: (statements: D1PreparedStatement[]) => target.batch(statements),
    exec: (query: string) => target.exec(query),
    dump: () => target.dump(),
    withSession: (constraint?: D1SessionConstraint | D1SessionBookmark) => target.withSession(constraint),
  };
  return { d1: d1 as unknown as D1Database, switchTo: (next: D1Database) => (target = next) };
}

/** The tenant's shard per its token's claim (an absent or unbound claim: DB, where it all began). */
export function openTenantShard(env: Bindings, tenantId: string, claimed: string | undefined): TenantShard {
  const key = movedKey(tenantId, claimed);
  const known = movedTenants.get(key);
  let current = known && isShard(env, known) ? known : claimed && isShard(env, claimed) ? claimed : DIRECTORY_SHARD;
  const routed = switchableD1(shardD1(env, current));
  let relocated = false;
  return {
    db: createDb(routed.d1),
    name: () => current,
    async relocate() {
      if (relocated) return false;
      relocated = true;
      const placed = await placementOf(directoryDb(env), tenantId);
      if (!placed || placed === current || !isShard(env, placed)) return false;
      current = placed;
      routed.switchTo(shardD1(env, placed));
      if (placed === claimed) movedTenants.delete(key);
      else remember(key, placed);
      return true;
    },
  };
}
