// A small per-isolate cache with a time to live, for per-tenant settings read on hot paths (schema
// registry, rate-limit tier, hub settings): most requests then cost no D1 round trip for them. An
// isolate's own change is seen at once (set/forget); other isolates see it within the TTL.

/** Entries beyond this are dropped all at once: the cache never grows with the tenant count. */
const MAX_ENTRIES = 10_000;

export interface TtlCache<V> {
  /** The cached value, or `load()`'s result (cached for the TTL). */
  get(key: string, load: () => Promise<V>, now?: number): Promise<V>;
  set(key: string, value: V, now?: number): void;
  forget(key: string): void;
}

export function ttlCache<V>(ttlMs: number): TtlCache<V> {
  const entries = new Map<string, { value: V; until: number }>();
  const set = (key: string, value: V, now = Date.now()) => {
    if (entries.size > MAX_ENTRIES) entries.clear();
    entries.set(key, { value, until: now + ttlMs });
  };
  return {
    async get(key, load, now = Date.now()) {
      const hit = entries.get(key);
      if (hit && hit.until > now) return hit.value;
      const value = await load();
      set(key, value, now);
      return value;
    },
    set,
    forget: (key) => void entries.delete(key),
  };
}
