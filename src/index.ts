// Worker entry: fetch (HTTP) and scheduled (Device Hub sync). Nothing else lives here.
import type { Bindings } from "./config";
import { createApp } from "./http/app";
import { normalizeScimUrl } from "./http/normalize-url";

const app = createApp();

export default {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    return app.fetch(normalizeScimUrl(request), env, ctx);
  },
  async scheduled(_controller: ScheduledController, _env: Bindings, _ctx: ExecutionContext) {
    // Device Hub reconciliation arrives with the sync issue.
  },
} satisfies ExportedHandler<Bindings>;
