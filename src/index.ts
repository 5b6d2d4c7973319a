// Worker entry: fetch (HTTP), scheduled (the cron's jobs, src/jobs/cron.ts) and queue (each queue's
// consumer, src/jobs/queues.ts). Nothing else lives here.
import type { Bindings } from "./config";
import { createApp } from "./http/app";
import { normalizeScimUrl } from "./http/normalize-url";
import { runCron } from "./jobs/cron";
import { consumeQueueBatch } from "./jobs/queues";

const app = createApp();

export default {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    return app.fetch(normalizeScimUrl(request), env, ctx);
  },
  async scheduled(_controller: ScheduledController, env: Bindings, _ctx: ExecutionContext) {
    await runCron(env);
  },
  async queue(batch: MessageBatch<unknown>, env: Bindings, _ctx: ExecutionContext) {
    await consumeQueueBatch(batch, env);
  },
} satisfies ExportedHandler<Bindings>;
