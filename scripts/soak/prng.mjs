// The soak's deterministic randomness: one seeded PRNG per concern (each tenant's traffic, the
// faults), so a seed replays the same intended operations; their outcomes still depend on timing.

/** mulberry32: small, fast, good enough for choosing operations. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** An integer in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (xs) => (xs.length ? xs[Math.floor(next() * xs.length)] : undefined),
    /** `count` distinct items of xs (fewer if xs is shorter). */
    sample(xs, count) {
      const copy = [...xs];
      const out = [];
      while (out.length < count && copy.length) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
      return out;
    },
    /** A key of `weights` ({ key: weight }), zero weights never chosen. */
    weighted(weights) {
      const entries = Object.entries(weights).filter(([, w]) => w > 0);
      let r = next() * entries.reduce((n, [, w]) => n + w, 0);
      for (const [key, w] of entries) if ((r -= w) < 0) return key;
      return entries.at(-1)?.[0];
    },
    /** A short lowercase token. */
    token: (len = 6) => Array.from({ length: len }, () => "abcdefghijkmnpqrstuvwxyz23456789"[Math.floor(next() * 32)]).join(""),
  };
}
