// Worker entry: fetch (HTTP) and scheduled (Device Hub sync). Nothing else lives here.
import type { Bindings } from "./config";
import { createApp } from "./http/app";
import { normalizeScimUrl } from "./http/normalize-url";
import { runReconcile } from "./sync/reconcile";

const app = createApp();

export default {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    return app.fetch(normalizeScimUrl(request), env, ctx);
  },
  async scheduled(_controller: ScheduledController, env: Bindings, _ctx: ExecutionContext) {
    // Device Hub reconciliation: bounded per invocation, resumed from checkpoints (src/sync).
    await runReconcile(env);
  },
} satisfies ExportedHandler<Bindings>;
