// The per-request revocation check without a round trip of its own: the first read batch of the
// request carries it as an extra statement, and every write batch starts with a guard that rolls
// the batch back when the token or its client has been revoked. A request that touches no data
// (discovery) settles the check on its own at the end (tenant-auth). The same statement says
// whether this shard is the tenant's live placement: when not (the token's shard claim is stale,
// the tenant moved, or the shard is only the destination of a move under way), `relocate` (src/access/storage/tenant-shard.ts) points the request's db at the tenant's
// shard and the gate runs the same batch once more there. Nothing was read or written meanwhile.
import { sql } from "drizzle-orm";
import { unauthorized } from "../../scim/errors";
import { mapDbError, type Db } from "../../platform/d1/db";
import { constraintOf, runParts, type BatchResults, type Parts } from "../../platform/d1/batch";
import { moveRefused } from "../../platform/d1/move-refusal";
import { allSql, runSql } from "../../platform/d1/raw-sql";

export interface GatedToken {
  tenantId: string;
  clientId: string;
  jti: string;
}

/** The part names the gate adds to a batch itself; a caller's parts may not use them. */
type GateParts = { "gate:check"?: never; "gate:placedHere"?: never; "gate:tokenLive"?: never };
/** A caller's named parts (see platform/d1/batch.ts): results come back under the same names. */
export type GateBatch = Parts & GateParts;

export interface TokenGate {
  /** Run named read parts as one batch, with the revocation check if still pending. */
  read<const P extends GateBatch>(parts: P): Promise<BatchResults<P>>;
  /** Run named write parts as one atomic batch behind the revocation guard. */
  write<const P extends GateBatch>(parts: P): Promise<BatchResults<P>>;
  /** Check now if nothing has yet (one round trip); throws 401 when the token was revoked. */
  settle(): Promise<void>;
}

export const REVOKED_DETAIL = "token or client has been revoked";

// Revocation is permanent (a token row is written before the token is handed out, and neither a
// token nor a client is ever re-activated), so an isolate may remember the identities found dead
// and refuse them before the rate limiter, without D1: a leaked, revoked token cannot keep
// spending its tenant's budget. Keyed by the whole identity, not the jti alone.
const knownRevoked = new Set<string>();
const identityKey = (t: GatedToken) => JSON.stringify([t.tenantId, t.clientId, t.jti]);
export const isKnownRevoked = (t: GatedToken) => knownRevoked.has(identityKey(t));
function remember(t: GatedToken) {
  if (knownRevoked.size > 10_000) knownRevoked.clear();
  knownRevoked.add(identityKey(t));
}

/** A write-batch statement that fails (CHECK token_revoked → 401) unless the token is live. */
function guardStatement(db: Db, t: GatedToken) {
  return runSql(db, sql`INSERT INTO auth_guards (ok) SELECT 0 WHERE NOT EXISTS (
    SELECT 1 FROM scim_clients c CROSS JOIN issued_tokens t ON t.jti = ${t.jti} AND t.client_id = c.client_id
    WHERE c.client_id = ${t.clientId} AND c.tenant_id = ${t.tenantId} AND c.status = 'active'
      AND t.tenant_id = ${t.tenantId} AND t.revoked_at IS NULL)`);
}

/**
 * "This shard is the tenant's live placement": it holds the tenants row and is not the destination
 * of a move still under way. A move puts the tenants row (and copies of the clients and tokens that
 * lag behind the source) on its destination at its start; until the switch closes the
 * destination's gate that copy answers for nothing, neither a refusal nor a read nor a write.
 */
const livesHere = (tenantId: string) => sql`(EXISTS (SELECT 1 FROM tenants WHERE id = ${tenantId})
  AND NOT EXISTS (SELECT 1 FROM tenant_moving WHERE tenant_id = ${tenantId} AND role = 'destination'))`;

/** A write-batch statement that fails (CHECK tenant_elsewhere) when the tenant does not live here. */
function shardGuardStatement(db: Db, t: GatedToken) {
  return runSql(db, sql`INSERT INTO shard_guards (ok) SELECT 0 WHERE NOT ${livesHere(t.tenantId)}`);
}

/** The read check, one row: is the token live, and is this shard the tenant's live placement? */
function checkStatement(db: Db, t: GatedToken) {
  return allSql<{ live: number; here: number }>(db, sql`SELECT
    EXISTS (SELECT 1 FROM scim_clients c CROSS JOIN issued_tokens t ON t.jti = ${t.jti} AND t.client_id = c.client_id
      WHERE c.client_id = ${t.clientId} AND c.tenant_id = ${t.tenantId} AND c.status = 'active'
        AND t.tenant_id = ${t.tenantId} AND t.revoked_at IS NULL) AS live,
    ${livesHere(t.tenantId)} AS here`);
}

/** A write batch; D1's failures become SCIM errors (a unique index → 409 uniqueness, …). */
async function writeBatch<const P extends Parts>(db: Db, parts: P): Promise<BatchResults<P>> {
  try {
    return await runParts(db, parts);
  } catch (err) {
    return mapDbError(err);
  }
}

/** The caller's results without the gate's own parts. */
function callerResults<P extends GateBatch>(results: Record<string, unknown>): BatchResults<P> {
  const { "gate:check": _check, "gate:placedHere": _placed, "gate:tokenLive": _live, ...rest } = results;
  return rest as BatchResults<P>;
}

/** The tenant moved: true when the request's db now runs on another shard (see tenant-shard.ts). */
export type Relocate = () => Promise<boolean>;
const stay: Relocate = async () => false;

type Outcome<R> = { found: "live" | "revoked" | "elsewhere"; rest: R | undefined };

/** A gate for one request's token; `undefined` (tokens without a revocation row) checks nothing. */
export function createTokenGate(db: Db, token: GatedToken | undefined, relocate: Relocate = stay): TokenGate {
  let state: "pending" | "live" | "revoked" = token ? "pending" : "live";
  const refuse = (): never => {
    state = "revoked";
    if (token) remember(token);
    throw unauthorized(REVOKED_DETAIL);
  };

  // The gate's own parts run first (a guard must come before what it protects).
  const checkedRead = async <P extends GateBatch>(t: GatedToken, parts: P): Promise<Outcome<BatchResults<P>>> => {
    const results = await runParts(db, { "gate:check": checkStatement(db, t), ...(parts as Parts) });
    const row = results["gate:check"][0];
    // Placement first: a live token row on a shard that is not the live placement (a move's
    // destination copy, lagging behind a revocation on the source) proves nothing.
    return { found: !row?.here ? "elsewhere" : row.live ? "live" : "revoked", rest: callerResults<P>(results) };
  };
  const guardedWrite = async <P extends GateBatch>(t: GatedToken, parts: P): Promise<Outcome<BatchResults<P>>> => {
    try {
      const results = await runParts(db, { "gate:placedHere": shardGuardStatement(db, t), "gate:tokenLive": guardStatement(db, t), ...(parts as Parts) });
      return { found: "live", rest: callerResults<P>(results) };
    } catch (err) {
      // The guards abort the batch with their own constraint: nothing was written.
      switch (constraintOf(err)) {
        case "tenant_elsewhere":
          return { found: "elsewhere", rest: undefined };
        case "token_revoked":
          return { found: "revoked", rest: undefined };
      }
      return mapDbError(err);
    }
  };
  // Not on this shard: once, if the tenant lives elsewhere now, the same statements run there.
  // A revoked token costs nothing extra (the check tells revoked from elsewhere). Still not found
  // after that: the placement names a shard that is not live yet (the few statements between a
  // move's flip and the destination gate's close), a passing state answered 503, never a
  // remembered refusal.
  const settleWith = async <R>(t: GatedToken, run: (t: GatedToken) => Promise<Outcome<R>>): Promise<R> => {
    let result = await run(t);
    if (result.found === "elsewhere" && (await relocate())) result = await run(t);
    if (result.found === "elsewhere") throw moveRefused();
    if (result.found !== "live" || result.rest === undefined) return refuse();
    state = "live";
    return result.rest;
  };

  return {
    async read(parts) {
      if (state === "revoked") refuse();
      if (state === "live" || !token) return runParts(db, parts);
      return settleWith(token, (t) => checkedRead(t, parts));
    },
    async write(parts) {
      if (state === "revoked") refuse();
      if (!token) return writeBatch(db, parts);
      return settleWith(token, (t) => guardedWrite(t, parts));
    },
    async settle() {
      if (state === "revoked") refuse();
      if (state === "live" || !token) return;
      // As a batch of one: same round trip, and D1 reports its rows read (the bench meters them).
      await settleWith(token, (t) => checkedRead(t, {}));
    },
  };
}
