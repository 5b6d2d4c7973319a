// A tenant's rate-limit tier: read on the SCIM hot path through a short per-isolate cache, so
// the limiter costs no D1 round trip on most requests.
import { eq } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { tenantRateLimits } from "../../platform/schema/tables";
import { ttlCache } from "../../platform/ttl-cache";

export const RATE_LIMIT_TIERS = ["restricted", "standard", "high", "unlimited"] as const;
export type RateLimitTier = (typeof RATE_LIMIT_TIERS)[number];
export const DEFAULT_TIER: RateLimitTier = "standard";

// Another isolate may serve a stale tier for up to this long after a change (docs/security.md).
const CACHE_MS = 30_000;
const cache = ttlCache<RateLimitTier>(CACHE_MS);

const isTier = (v: string): v is RateLimitTier => (RATE_LIMIT_TIERS as readonly string[]).includes(v);

export async function tenantTier(db: Db, tenantId: string, now = Date.now()): Promise<RateLimitTier> {
  return cache.get(
    tenantId,
    async () => {
      const row = (await db.select().from(tenantRateLimits).where(eq(tenantRateLimits.tenantId, tenantId)).limit(1))[0];
      return row && isTier(row.tier) ? row.tier : DEFAULT_TIER;
    },
    now,
  );
}

export async function setTenantTier(db: Db, tenantId: string, tier: RateLimitTier, at: string): Promise<void> {
  await db
    .insert(tenantRateLimits)
    .values({ tenantId, tier, updatedAt: at })
    .onConflictDoUpdate({ target: tenantRateLimits.tenantId, set: { tier, updatedAt: at } });
  // This isolate sees the change at once; others within CACHE_MS.
  cache.set(tenantId, tier);
}
