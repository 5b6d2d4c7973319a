// Failed tenant-credential lookups (`Bearer scimta_…`, a `scimps_…` portal cookie) on /admin/v1
// and /portal/v1, per source address (IPv6 per /64): each costs a directory read and a shard
// read, so a made-up credential must not be free. Past RATE_LIMIT_TOKEN_CLIENT's budget (30 a
// minute) the failure is answered 429 + Retry-After, and this isolate refuses the address before
// any lookup for the rest of the window. Requests without CF-Connecting-IP (local tools; never
// behind Cloudflare's edge) are not counted.
import type { Context } from "hono";
import { ScimError } from "../../scim/errors";
import { ipRateKey } from "../../http/client-ip";
import type { AppEnv } from "../../http/context";
import { allowedByLimiter, RETRY_AFTER_S } from "./rate-limit";

const WINDOW_MS = 60_000;
const refusedAddresses = new Map<string, number>();

const tooMany = () =>
  new ScimError(429, `too many failed credentials from this address; retry after ${RETRY_AFTER_S} seconds`, undefined, {
    headers: { "Retry-After": String(RETRY_AFTER_S) },
  });

function refusedNow(key: string): boolean {
  const until = refusedAddresses.get(key);
  if (until === undefined) return false;
  if (Date.now() < until) return true;
  refusedAddresses.delete(key);
  return false;
}

/** Run a credential lookup (null: not a live credential), counting its failure per address. */
export async function countedLookup<T, E extends AppEnv>(c: Context<E>, lookup: () => Promise<T | null>): Promise<T | null> {
  const ip = c.req.header("CF-Connecting-IP");
  if (ip === undefined) return lookup();
  const key = ipRateKey(ip);
  if (refusedNow(key)) throw tooMany();
  const found = await lookup();
  if (found !== null) return found;
  if (await allowedByLimiter(c.env.RATE_LIMIT_TOKEN_CLIENT, `tenant-credential-failures:${key}`)) return null;
  if (refusedAddresses.size > 10_000) refusedAddresses.clear();
  refusedAddresses.set(key, Math.ceil((Date.now() + 1) / WINDOW_MS) * WINDOW_MS);
  c.get("log").warn("tenant credential failures limited", { by: "ip" });
  throw tooMany();
}
