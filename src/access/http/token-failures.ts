// Failed client authentications at both token endpoints (/oauth/token and /api/V1/token), counted
// under the client id the handler actually authenticated (after Basic's percent-decoding, in
// either dialect): nothing else in the request can steer the key.
// - Per (client id, source address): RATE_LIMIT_TOKEN_CLIENT (30 a minute). The failure past it
//   is answered 429, and this isolate refuses that pair before any lookup for the rest of the
//   window. A correct secret from another address is not affected: a guesser cannot lock Entra out.
// - Per client id over all addresses: RATE_LIMIT_TOKEN_IP's budget (120 a minute) under its own
//   key. Past it, failures are answered 429 (and logged); a correct secret is still served.
// Successful requests count in neither. Every request, good or bad, also counts per address
// (tokenRateLimit, before the body is read).
import type { Context } from "hono";
import { OAuthError } from "../oauth-error";
import { allowedByLimiter, RETRY_AFTER_S } from "./rate-limit";
import { ipRateKey } from "../../http/client-ip";
import type { AppEnv } from "../../http/context";

const WINDOW_MS = 60_000;
// Pairs over their budget in this isolate, with the end of the window they were refused in.
const refusedPairs = new Map<string, number>();

const tooMany = () =>
  // RFC 6749 has no rate-limit code; keep its body shape (§5.2) and let status + Retry-After speak.
  new OAuthError("invalid_request", `too many failed token requests; retry after ${RETRY_AFTER_S} seconds`, 429, {
    "Retry-After": String(RETRY_AFTER_S),
  });

function refusedNow(pair: string): boolean {
  const until = refusedPairs.get(pair);
  if (until === undefined) return false;
  if (Date.now() < until) return true;
  refusedPairs.delete(pair);
  return false;
}

function refuse(pair: string) {
  if (refusedPairs.size > 10_000) refusedPairs.clear();
  refusedPairs.set(pair, Math.ceil((Date.now() + 1) / WINDOW_MS) * WINDOW_MS);
}

/** Run `grant` for `clientId`, counting its authentication failure (401 invalid_client). */
export async function withTokenFailureLimits<T>(c: Context<AppEnv>, clientId: string, grant: () => Promise<T>): Promise<T> {
  const id = clientId.slice(0, 200);
  const pair = JSON.stringify([id, ipRateKey(c.req.header("CF-Connecting-IP"))]);
  if (refusedNow(pair)) throw tooMany();
  try {
    return await grant();
  } catch (err) {
    if (!(err instanceof OAuthError) || err.code !== "invalid_client") throw err;
    const pairOk = await allowedByLimiter(c.env.RATE_LIMIT_TOKEN_CLIENT, `token-failures:${pair}`);
    const clientOk = await allowedByLimiter(c.env.RATE_LIMIT_TOKEN_IP, `token-failures-client:${id}`);
    if (pairOk && clientOk) throw err;
    if (!pairOk) refuse(pair);
    c.get("log").warn("token endpoint failures limited", { by: pairOk ? "client_id" : "client_id+ip" });
    throw tooMany();
  }
}
