// Admin: move a tenant to another shard (docs/architecture.md "Moving a tenant"). POST starts the
// move and its first steps (in waitUntil), GET shows its state and progress, DELETE cancels a move
// that has not switched yet. The cron advances active moves.
import { Hono } from "hono";
import { z } from "zod";
import { newId } from "../../platform/ids";
import { errorText } from "../../platform/log";
import { notFound } from "../../scim/errors";
import { directoryDb } from "../../platform/d1/shards";
import { advanceAndHandOn, defaultBudget } from "./advance";
import { latestMove, type MoveRow } from "./moves";
import { parseProgress } from "./progress";
import { cancelMove, startMove } from "./start";
import { MOVED_TABLES } from "./tables";
import { checkEnvelope, readJsonBody } from "../../http/body";
import type { AdminTenantEnv } from "../../http/context";

const MoveBody = z.object({ shard: z.string().min(1).max(64) }).strict();

/** A move as the admin API shows it. */
export function moveJson(m: MoveRow) {
  const progress = parseProgress(m.progress);
  return {
    id: m.id,
    tenantId: m.tenantId,
    source: m.source,
    destination: m.destination,
    state: m.state,
    progress: {
      table: MOVED_TABLES[progress.table]?.name ?? null,
      tablesCopied: Math.min(progress.table, MOVED_TABLES.length),
      tables: MOVED_TABLES.length,
      copiedRows: m.copiedRows,
      replayedRows: m.replayedRows,
      purgedRows: m.purgedRows,
    },
    startedAt: m.startedAt,
    switchedAt: m.switchedAt ?? null,
    finishedAt: m.finishedAt ?? null,
    updatedAt: m.updatedAt,
    error: m.error ?? null,
  };
}

export const tenantMoveRoutes = new Hono<AdminTenantEnv>()
  .post("/", async (c) => {
    const { shard } = checkEnvelope(MoveBody, await readJsonBody(c));
    const move = await startMove(c.env, c.var.tenant.id, shard, newId(), new Date().toISOString());
    c.get("log").info("tenant move started", { tenantId: move.tenantId, moveId: move.id, source: move.source, destination: move.destination });
    // The first chunks at once; the move queue (or the cron) carries on from where this stops.
    c.executionCtx.waitUntil(advanceAndHandOn(c.env, move, defaultBudget(c.env), c.get("log")).catch((e) =>
      c.get("log").error("tenant move step failed", { moveId: move.id, error: errorText(e) })));
    return c.json(moveJson(move), 202);
  })
  .get("/", async (c) => {
    const move = await latestMove(directoryDb(c.env), c.var.tenant.id);
    if (!move) throw notFound("no move of this tenant");
    return c.json(moveJson(move));
  })
  .delete("/", async (c) => {
    const move = await cancelMove(c.env, c.var.tenant.id, new Date().toISOString());
    return c.json(moveJson(move), 202);
  });
