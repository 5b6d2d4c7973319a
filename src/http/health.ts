// GET /health for uptime checks: no auth, no tenant data, no config parsing (a broken secret must
// not hide whether the Worker and D1 are up). One trivial D1 round trip per shard, side by side;
// 503 when any fails.
import { Hono } from "hono";
import { createLogger } from "../platform/log";
import { shardD1, shardNames } from "../platform/d1/shards";
import type { AppEnv } from "./context";

export const healthRoutes = new Hono<AppEnv>().get("/health", async (c) => {
  const headers = { "Cache-Control": "no-store" };
  try {
    await Promise.all(shardNames(c.env).map((shard) => shardD1(c.env, shard).prepare("SELECT 1").first()));
    return c.json({ status: "ok", d1: "ok" }, 200, headers);
  } catch (err) {
    createLogger().error("health: D1 round trip failed", { error: String((err as Error)?.name ?? "error") });
    return c.json({ status: "error", d1: "error" }, 503, headers);
  }
});
