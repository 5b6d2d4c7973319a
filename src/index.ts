// Worker entry: fetch (HTTP) and scheduled (Device Hub sync). Nothing else lives here.
import { parseConfig, type Bindings } from "./config";
import { createApp } from "./http/app";
import { normalizeScimUrl } from "./http/normalize-url";
import { runReconcile } from "./sync/reconcile";
import { pruneAudit } from "./storage/audit";
import { createDb } from "./storage/db";
import { runTenantPurges } from "./storage/tenant-purge";

const app = createApp();

export default {
  fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    return app.fetch(normalizeScimUrl(request), env, ctx);
  },
  async scheduled(_controller: ScheduledController, env: Bindings, _ctx: ExecutionContext) {
    // Device Hub reconciliation: bounded per invocation, resumed from checkpoints (src/sync).
    await runReconcile(env);
    // Audit retention: bounded chunks per run; a backlog drains over the next runs.
    const days = parseConfig(env).auditRetentionDays;
    const db = createDb(env.DB);
    await pruneAudit(db, new Date(Date.now() - days * 86_400_000).toISOString());
    // Offboarded tenants: their rows go in bounded rounds; a large tenant continues next run.
    await runTenantPurges(db, new Date().toISOString());
  },
} satisfies ExportedHandler<Bindings>;
