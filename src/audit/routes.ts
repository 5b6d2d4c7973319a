// Admin: a tenant's audit log, newest first, paged by an opaque cursor that names the shard
// (src/http/shard-cursor.ts); `since` (inclusive) and `until` (exclusive) bound the time.
// GET /admin/v1/tenants/{id}/audit?cursor=…&since=…&until=…&count=…
import { Hono } from "hono";
import { ScimError } from "../scim/errors";
import { listAudit } from "./storage";
import { activeTenant } from "../tenancy/port";
import type { AdminTenantEnv } from "../http/context";
import { decodeShardCursor, encodeShardCursor } from "../http/shard-cursor";
import type { AuditPageJson } from "./responses";

const DEFAULT_COUNT = 100;
const MAX_COUNT = 500;

function parseTime(name: string, value: string): string {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) throw new ScimError(400, `${name} must be an ISO 8601 time`);
  return new Date(t).toISOString();
}

function parseCount(count: string): number {
  if (!/^\d{1,4}$/.test(count) || Number(count) < 1) throw new ScimError(400, `count must be between 1 and ${MAX_COUNT}`);
  return Math.min(Number(count), MAX_COUNT);
}

export const auditRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const cursor = c.req.query("cursor");
    const since = c.req.query("since");
    const until = c.req.query("until");
    const count = c.req.query("count");
    const page = await listAudit(db, tenant.id, {
      before: cursor ? decodeShardCursor("a", cursor, c.get("shard")) : undefined,
      since: since ? parseTime("since", since) : undefined,
      until: until ? parseTime("until", until) : undefined,
      limit: count ? parseCount(count) : DEFAULT_COUNT,
    });
    const answer: AuditPageJson = {
      entries: page.entries,
      nextCursor: page.more && page.last !== undefined ? encodeShardCursor("a", c.get("shard"), page.last) : null,
    };
    return c.json(answer);
  });
