// The customer's request log (docs/portal.md): GET /admin/v1/tenants/{id}/requests
// ?failures=true&resource=<SCIM id or userName/displayName>&cursor=…&count=… → the tenant's SCIM
// writes, newest first, each with the resource's name and, when it failed, a plain-words reason;
// plus the last hour's failure rate beside Entra's quarantine rule. Reads the audit log only.
import { Hono } from "hono";
import { ScimError } from "../scim/errors";
import { currentNames, listRequests, requestCounts, type RequestRow } from "./request-log";
import { activeTenant } from "../tenancy/port";
import type { AdminTenantEnv } from "../http/context";
import { reasonFor } from "./request-reasons";
import { decodeShardCursor, encodeShardCursor } from "../http/shard-cursor";

const DEFAULT_COUNT = 50;
const MAX_COUNT = 200;
/** Entra quarantines a provisioning job when more than 40 % of its requests fail (Microsoft Learn). */
export const QUARANTINE_FAILURE_RATE = 0.4;
const HOUR_MS = 3_600_000;

function parseCount(count: string | undefined): number {
  if (count === undefined) return DEFAULT_COUNT;
  if (!/^\d{1,4}$/.test(count) || Number(count) < 1) throw new ScimError(400, `count must be between 1 and ${MAX_COUNT}`);
  return Math.min(Number(count), MAX_COUNT);
}

const entryJson = (r: RequestRow, names: Map<string, string>) => {
  const name = r.resourceName ?? (r.resourceId ? names.get(r.resourceId) : undefined) ?? null;
  return {
    at: r.at,
    requestId: r.requestId,
    clientId: r.clientId,
    method: r.method,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    name,
    status: r.status,
    reason: reasonFor({ ...r, name }),
  };
};

export const requestLogRoutes = new Hono<AdminTenantEnv>().get("/", async (c) => {
  const db = c.get("db");
  const tenant = activeTenant(c.var.tenant);
  const cursor = c.req.query("cursor");
  const resource = c.req.query("resource")?.trim();
  const [page, counts] = await Promise.all([
    listRequests(db, tenant.id, {
      before: cursor ? decodeShardCursor("r", cursor, c.get("shard")) : undefined,
      failuresOnly: c.req.query("failures") === "true",
      resource: resource ? resource.slice(0, 256) : undefined,
      limit: parseCount(c.req.query("count")),
    }),
    requestCounts(db, tenant.id, new Date(Date.now() - HOUR_MS).toISOString()),
  ]);
  const names = await currentNames(db, tenant.id, page.rows);
  const last = page.rows.at(-1)?.seq;
  const failureRate = counts.requests ? counts.failures / counts.requests : 0;
  return c.json({
    entries: page.rows.map((r) => entryJson(r, names)),
    nextCursor: page.more && last !== undefined ? encodeShardCursor("r", c.get("shard"), last) : null,
    lastHour: { ...counts, failureRate, quarantineThreshold: QUARANTINE_FAILURE_RATE, overThreshold: failureRate > QUARANTINE_FAILURE_RATE },
  });
});
