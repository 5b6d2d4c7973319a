// Admin: a tenant's audit log, newest first, paged by an opaque cursor; `since` (inclusive) and
// `until` (exclusive) bound the time. GET /admin/v1/tenants/{id}/audit?cursor=…&since=…&until=…&count=…
import { Hono } from "hono";
import { ScimError } from "../../../scim/errors";
import { listAudit } from "../../../storage/audit";
import { requireTenant } from "../../admin-tenant";
import type { AppEnv } from "../../context";

const DEFAULT_COUNT = 100;
const MAX_COUNT = 500;

/**
 * The cursor names the shard its seq belongs to: a move renumbers the tenant's entries on the new
 * shard, so an older cursor would page from the wrong place without a word. Cursors without a
 * shard (given before shards existed) are still read.
 */
const encodeCursor = (shard: string, seq: number) => btoa(`a:${shard}:${seq}`).replace(/=+$/, "");
function decodeCursor(cursor: string, shard: string): number {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    // fall through to the error below
  }
  const m = /^a:(?:([A-Z0-9_]{1,40}):)?(\d{1,15})$/.exec(text);
  if (!m) throw new ScimError(400, "cursor is not a cursor this endpoint returned");
  if (m[1] !== undefined && m[1] !== shard) {
    throw new ScimError(400, "cursor was given before the tenant moved to another shard, where its entries are numbered anew; start again without a cursor");
  }
  return Number(m[2]);
}

function parseTime(name: string, value: string): string {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) throw new ScimError(400, `${name} must be an ISO 8601 time`);
  return new Date(t).toISOString();
}

function parseCount(count: string): number {
  if (!/^\d{1,4}$/.test(count) || Number(count) < 1) throw new ScimError(400, `count must be between 1 and ${MAX_COUNT}`);
  return Math.min(Number(count), MAX_COUNT);
}

export const auditRoutes = new Hono<AppEnv>()
  .get("/tenants/:id/audit", async (c) => {
    const db = c.get("db");
    const tenant = await requireTenant(db, c.req.param("id"));
    const cursor = c.req.query("cursor");
    const since = c.req.query("since");
    const until = c.req.query("until");
    const count = c.req.query("count");
    const page = await listAudit(db, tenant.id, {
      before: cursor ? decodeCursor(cursor, c.get("shard")) : undefined,
      since: since ? parseTime("since", since) : undefined,
      until: until ? parseTime("until", until) : undefined,
      limit: count ? parseCount(count) : DEFAULT_COUNT,
    });
    return c.json({
      entries: page.entries,
      nextCursor: page.more && page.last !== undefined ? encodeCursor(c.get("shard"), page.last) : null,
    });
  });
