// A move's next invocation at once, through a queue of its own (MOVE_QUEUE): an invocation that
// spent its whole budget with work left hands the move on, so a large tenant moves in minutes of
// D1 time instead of one 10-second slice per 5-minute cron run. An invocation that stopped for
// another reason (the switch waits for a sync run to end, a step failed) does not: the cron tries
// again later, as it does for every active move and for deployments without the binding.
import { z } from "zod";
import type { Bindings } from "../../config";
import { errorText, type Logger } from "../../platform/log";

/** The queue's name, as in wrangler.toml ([[queues.producers]] / [[queues.consumers]]). */
export const MOVE_QUEUE_NAME = "edge-scim-moves";

/** "Move M has work left"; checked on receipt. */
export const MoveMessage = z.object({ moveId: z.string().min(1).max(200) });
export type MoveMessage = z.infer<typeof MoveMessage>;
export type MoveQueue = Queue<MoveMessage>;

/** True when the move queue took the message; a queue that fails leaves the move to the cron. */
export async function handOn(env: Bindings, moveId: string, log: Logger): Promise<boolean> {
  if (!env.MOVE_QUEUE) return false;
  try {
    await env.MOVE_QUEUE.send({ moveId }, { contentType: "json" });
    return true;
  } catch (e) {
    log.warn("tenant move not handed on; the cron carries it on", { moveId, error: errorText(e) });
    return false;
  }
}
