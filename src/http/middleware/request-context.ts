// First middleware: request id, logger, parsed config, directory db, public origin; one access-log line
// per request after the handler ran (never the Authorization header, never bodies).
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { parseConfig } from "../../config";
import { createLogger } from "../../platform/log";
import { DIRECTORY_SHARD, directoryDb } from "../../platform/d1/shards";
import type { AppEnv } from "../context";
import { actorOf } from "../../access/port";

export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
  const log = createLogger({ requestId });
  c.set("requestId", requestId);
  c.set("log", log);
  c.set("rewrites", []);
  const config = parseConfig(c.env);
  c.set("config", config);
  // Until a tenant's route moves it to the tenant's shard, `db` is the directory (also shard DB).
  const directory = directoryDb(c.env);
  c.set("directory", directory);
  c.set("db", directory);
  c.set("shard", DIRECTORY_SHARD);
  c.set("origin", config.publicUrl ?? new URL(c.req.url).origin);
  await next();
  c.header("X-Request-Id", requestId);
  const auth = c.get("auth");
  const principal = c.get("principal");
  log.info("request", {
    tenantId: auth?.tenantId ?? (principal?.kind === "tenant" ? principal.tenantId : undefined),
    clientId: auth?.clientId,
    actor: principal ? actorOf(principal) : undefined,
    method: c.req.method,
    route: routePath(c),
    status: c.res.status,
    durationMs: Date.now() - started,
    rewrites: c.get("rewrites").length ? c.get("rewrites") : undefined,
  });
});
