// The move queue's consumer (src/tenancy/move/hand-on.ts): each named move that is still
// active gets one invocation's budget, and is handed on again if it uses it all. Messages are
// acked whatever happens: a failed step is recorded on the move, and the cron is the safety net.
import type { Bindings } from "../../config";
import { errorText, type Logger } from "../../platform/log";
import { directoryDb } from "../../platform/d1/shards";
import { advanceAndHandOn, defaultBudget } from "./advance";
import { MoveMessage } from "./hand-on";
import { ACTIVE_STATES, findMove } from "./moves";

export async function consumeMoveBatch(batch: MessageBatch<unknown>, env: Bindings, log: Logger): Promise<void> {
  const ids = new Set<string>();
  for (const message of batch.messages) {
    const parsed = MoveMessage.safeParse(message.body);
    if (parsed.success) ids.add(parsed.data.moveId);
    else log.error("invalid move message", { messageId: message.id });
    message.ack();
  }
  for (const id of ids) {
    try {
      const move = await findMove(directoryDb(env), id);
      if (move && ACTIVE_STATES.includes(move.state)) await advanceAndHandOn(env, move, defaultBudget(env), log);
    } catch (e) {
      log.error("tenant move step failed", { moveId: id, error: errorText(e) });
    }
  }
}
