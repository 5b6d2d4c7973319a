// Which consumer each queue's messages go to (wrangler.toml [[queues.consumers]]).
import type { Bindings } from "../config";
import { createLogger } from "../platform/log";
import { SYNC_DLQ_NAME, SYNC_SLOW_QUEUE_NAME } from "../sync/queue/messages";
import { consumeDeadLetters, consumeSyncBatch } from "../sync/queue/consumer";
import { consumeMoveBatch } from "../tenancy/move/consumer";
import { MOVE_QUEUE_NAME } from "../tenancy/move/hand-on";

export async function consumeQueueBatch(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  if (batch.queue === MOVE_QUEUE_NAME) return consumeMoveBatch(batch, env, createLogger({ job: "tenant-moves", queue: batch.queue }));
  const log = createLogger({ job: "device-hub-sync", queue: batch.queue });
  // The sync queue, its slow lane and its dead-letter queue.
  if (batch.queue === SYNC_DLQ_NAME) await consumeDeadLetters(batch, env, log);
  else await consumeSyncBatch(batch, env, log, {}, batch.queue === SYNC_SLOW_QUEUE_NAME ? "slow" : "fast");
}
