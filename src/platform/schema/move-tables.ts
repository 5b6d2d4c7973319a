// Tenant moves between shards (migrations/0013_tenant_moves.sql, docs/architecture.md "Moving a
// tenant"): the directory's record of each move, and the two shard-local tables a move uses.
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";

export const MOVE_STATES = ["copying", "switching", "purging", "done", "cancelling", "cancelled", "failed"] as const;
export type MoveState = (typeof MOVE_STATES)[number];

/** Directory: one row per move; at most one active (copying … cancelling) per tenant. */
export const tenantMoves = sqliteTable(
  "tenant_moves",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    source: text("source").notNull(),
    destination: text("destination").notNull(),
    state: text("state", { enum: MOVE_STATES }).notNull(),
    /** A copy of the destination's progress (JSON), for the status page. */
    progress: text("progress"),
    copiedRows: integer("copied_rows").notNull().default(0),
    replayedRows: integer("replayed_rows").notNull().default(0),
    purgedRows: integer("purged_rows").notNull().default(0),
    startedAt: text("started_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    switchedAt: text("switched_at"),
    finishedAt: text("finished_at"),
    error: text("error"),
  },
  (t) => [
    uniqueIndex("tenant_moves_active_uq").on(t.tenantId).where(sql`${t.state} IN ('copying', 'switching', 'purging', 'cancelling')`),
    index("tenant_moves_tenant_idx").on(t.tenantId, t.startedAt),
    index("tenant_moves_state_idx").on(t.state, t.updatedAt),
  ],
);

/**
 * On the source shard (role "source"): copying (writes journaled by the triggers), switching and
 * moved (writes refused), purging (only inside the purge's own batch). On the destination (role
 * "destination", state "incoming"): `progress` is the authoritative copy cursor.
 */
export const tenantMoving = sqliteTable("tenant_moving", {
  tenantId: text("tenant_id").primaryKey(),
  moveId: text("move_id").notNull(),
  role: text("role", { enum: ["source", "destination"] }).notNull(),
  state: text("state", { enum: ["copying", "switching", "moved", "purging", "incoming"] }).notNull(),
  progress: text("progress"),
  updatedAt: text("updated_at").notNull(),
});

/** On the source: the key of every tenant row written while the move copies (by triggers). */
export const tenantMoveJournal = sqliteTable(
  "tenant_move_journal",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id").notNull(),
    tbl: text("tbl").notNull(),
    k: text("k").notNull(),
  },
  (t) => [index("tenant_move_journal_tenant_idx").on(t.tenantId, t.seq)],
);
