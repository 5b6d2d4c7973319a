// Starting and cancelling a move: the checks, the directory row, and the two gate rows (the
// source's first, so no write escapes the journal once the destination holds a cursor).
import { sql } from "drizzle-orm";
import type { Bindings } from "../../config";
import { errorText } from "../../platform/log";
import { invalidValue, notFound, ScimError } from "../../scim/errors";
import { placementOf } from "../storage/placement";
import { allSql } from "../../platform/d1/raw-sql";
import { directoryDb, isShard, shardDb } from "../../platform/d1/shards";
import { findTenant } from "../storage/tenants";
import type { MoveDbs } from "./copy";
import { gateOf, insertMove, latestMove, openDestinationGate, openSourceGate, updateMove, type MoveRow } from "./moves";
import { copyTenantRow } from "./purge";

/** Source gate, then the destination's tenants row and gate (with the cursor). Idempotent. */
export async function openGates(dbs: MoveDbs, now: string): Promise<void> {
  await openSourceGate(dbs.source, dbs.tenantId, dbs.moveId, now);
  const gate = await gateOf(dbs.source, dbs.tenantId);
  if (gate?.moveId !== dbs.moveId) throw new Error("the source still holds another move of this tenant");
  await dbs.dest.batch([(await tenantRowCopy(dbs)).statement, openDestinationGate(dbs.dest, dbs.tenantId, dbs.moveId, now)]);
}

/**
 * The destination statement that brings the source's tenants row over (name, state): at the start,
 * and again in the switch, when the source refuses changes to it (a rename or an offboarding made
 * during the copy moves with the tenant).
 */
export async function tenantRowCopy(dbs: MoveDbs) {
  const [tenant] = await allSql<{ id: string; name: string; created_at: string; state: string; deleted_at: string | null }>(
    dbs.source, sql`SELECT * FROM tenants WHERE id = ${dbs.tenantId}`);
  if (!tenant) throw new Error("the source holds no tenants row for this tenant");
  // Wrapped: a drizzle statement is thenable, and an async function would run it on return.
  return { statement: copyTenantRow(dbs.dest, { id: tenant.id, name: tenant.name, createdAt: tenant.created_at, state: tenant.state, deletedAt: tenant.deleted_at }) };
}

/** Start moving an active tenant to `destination`; 400/404/409 for what cannot move. */
export async function startMove(env: Bindings, tenantId: string, destination: string, id: string, now: string): Promise<MoveRow> {
  const directory = directoryDb(env);
  const source = await placementOf(directory, tenantId);
  const tenant = source ? await findTenant(shardDb(env, source), tenantId) : undefined;
  if (!source || !tenant) throw notFound(`tenant ${tenantId} not found`);
  if (!isShard(env, destination)) throw invalidValue(`unknown shard ${JSON.stringify(destination).slice(0, 80)}`);
  if (destination === source) throw invalidValue(`the tenant already lives on ${source}`);
  if (tenant.state !== "active") throw conflict(`tenant ${tenantId} is ${tenant.state}; only an active tenant moves`);
  const current = await latestMove(directory, tenantId);
  if (current && ["copying", "switching", "purging", "cancelling"].includes(current.state)) {
    throw conflict(`a move of this tenant is already ${current.state}`);
  }
  try {
    await insertMove(directory, { id, tenantId, source, destination, startedAt: now });
  } catch {
    throw conflict("a move of this tenant is already under way");
  }
  const move = (await latestMove(directory, tenantId))!;
  try {
    await openGates({ source: shardDb(env, source), dest: shardDb(env, destination), tenantId, moveId: id }, now);
  } catch (e) {
    await updateMove(directory, id, "copying", { state: "cancelling", error: errorText(e, 500), updatedAt: now });
    throw conflict(`the move could not start: ${errorText(e)}`);
  }
  return move;
}

/** Cancel a move that has not switched; the cron drops the destination copy. */
export async function cancelMove(env: Bindings, tenantId: string, now: string): Promise<MoveRow> {
  const directory = directoryDb(env);
  const move = await latestMove(directory, tenantId);
  if (!move) throw notFound("no move of this tenant");
  if (move.state === "copying") {
    const [done] = await updateMove(directory, move.id, "copying", { state: "cancelling", updatedAt: now });
    if (done) return (await latestMove(directory, tenantId))!;
  }
  const fresh = (await latestMove(directory, tenantId))!;
  if (fresh.state === "cancelling" || fresh.state === "cancelled") return fresh;
  throw conflict(`the move is ${fresh.state}: only a copying move can be cancelled`);
}

const conflict = (detail: string) => new ScimError(409, detail);
