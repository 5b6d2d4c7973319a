// Admin: the deployment's shards (GET /admin/v1/shards): each D1 binding with its last measured
// size and how many tenants it holds, in the order placement considers them.
import { Hono } from "hono";
import { PLACEMENT_SIZE_STEP, roomiest } from "../storage/placement";
import { shardLoads } from "../storage/shard-stats";
import type { AdminEnv } from "../../http/context";

export const shardRoutes = new Hono<AdminEnv>().get("/shards", async (c) => {
  const loads = await shardLoads(c.env, c.get("directory"));
  return c.json({
    shards: loads.map((l) => ({ name: l.shard, sizeBytes: l.sizeBytes, sizeRefreshedAt: l.refreshedAt, tenants: l.tenants })),
    // Where POST /admin/v1/tenants without a shard puts the next tenant.
    nextPlacement: roomiest(loads),
    placementSizeStepBytes: PLACEMENT_SIZE_STEP,
  });
});
