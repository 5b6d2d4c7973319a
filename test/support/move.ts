// Driving a tenant move through the real handlers, for the tests that watch one step at a time:
// the cron runs one move step per tick (TENANT_MOVE_STEPS=1) and nothing hands a move on between
// ticks (no MOVE_QUEUE), so every state of the move can be observed.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";
import { ADMIN_TOKEN, ORIGIN } from "./http";

export const stepEnv = { ...env, TENANT_MOVE_STEPS: "1", MOVE_QUEUE: undefined };
/** A shard's D1 binding by name ("DB", "DB_1"). */
export const d1 = (shard: string) => (env as unknown as Record<string, D1Database>)[shard]!;

/** The real scheduled handler, one move step per tick. */
export async function tick(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), stepEnv, ctx);
  await waitOnExecutionContext(ctx);
}

/** An admin call through the real fetch handler with the one-step env, waiting for its waitUntil. */
export async function adminStep(path: string, method: string, body?: unknown, callEnv: object = stepEnv): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}/admin/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  }), callEnv as typeof env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** The tenant's shard in the directory. */
export const placement = async (tenantId: string) =>
  (await env.DB.prepare("SELECT shard FROM tenant_placement WHERE tenant_id = ?").bind(tenantId).first<{ shard: string }>())?.shard;
