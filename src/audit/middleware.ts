// Audit: after the handler, one row per SCIM write (POST/PUT/PATCH/DELETE, Bulk) and per admin
// action, written in waitUntil so it adds no latency. Ids and outcome (for SCIM writes also the
// resource's userName / displayName and our error answer): never bodies, tokens, query strings or
// other attribute values.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { insertAudit, type AuditRow } from "./storage";
import type { AppEnv, ScimEnv } from "../http/context";
import { actorOf } from "../access/port";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const SCIM_TYPES: Record<string, string> = { users: "User", groups: "Group", bulk: "Bulk" };

const segmentsAfter = (path: string, prefix: string) =>
  path.slice(prefix.length).split("/").filter(Boolean).map((s) => decodeURIComponentSafe(s));

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The created resource's id from a 201's Location header. */
function createdId(res: Response): string | undefined {
  const location = res.headers.get("Location");
  if (res.status !== 201 || !location) return undefined;
  return decodeURIComponentSafe(location.replace(/\/+$/, "").split("/").at(-1) ?? "") || undefined;
}

function record<E extends AppEnv>(c: Context<E>, row: Omit<AuditRow, "at" | "requestId" | "method" | "path" | "status" | "rewrites">) {
  const full: AuditRow = {
    ...row,
    at: new Date().toISOString(),
    requestId: c.get("requestId"),
    method: c.req.method,
    path: c.req.path.slice(0, 500),
    status: c.res.status,
    rewrites: c.get("rewrites"),
  };
  const log = c.get("log");
  const write = insertAudit(c.get("db"), full).then(
    () => undefined,
    (err: unknown) => log.error("audit write failed", { error: String((err as Error)?.message ?? err).slice(0, 200) }),
  );
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // No execution context (plain app.fetch in a tool): the write still runs, unawaited.
  }
}

/** Mounted after tenant-auth on /scim/v2/*. */
export const auditScim = createMiddleware<ScimEnv>(async (c, next) => {
  await next();
  if (!WRITE_METHODS.has(c.req.method)) return;
  const [collection, id] = segmentsAfter(c.req.path, "/scim/v2");
  // POST …/.search is a read (RFC 7644 §3.4.3).
  if (id === ".search" || collection === ".search") return;
  const resourceType = SCIM_TYPES[(collection ?? "").toLowerCase()] ?? collection ?? null;
  const auth = c.get("auth");
  const error = c.res.status >= 400 ? c.get("auditError") : undefined;
  record(c, {
    tenantId: auth.tenantId,
    clientId: auth.clientId,
    resourceType,
    resourceId: id ?? createdId(c.res) ?? null,
    resourceName: resourceType === "Bulk" ? null : (c.get("auditName") ?? null),
    errorType: error?.scimType ?? null,
    errorDetail: error?.detail ?? null,
  });
});

/**
 * Mounted on /admin/v1/*: every admin write that names (or creates) a tenant, with who did it. A
 * tenant admin's rows go only to its own tenant's log (a probe of another tenant is a 404 in the
 * access log, not a row in that tenant's audit).
 */
export const auditAdmin = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const principal = c.get("principal");
  // Not authenticated: not an admin action (the access log still has the attempt).
  if (!WRITE_METHODS.has(c.req.method) || !principal) return;
  const parts = segmentsAfter(c.req.path, "/admin/v1");
  if (parts[0] !== "tenants") return;
  const tenantId = parts[1] ?? createdId(c.res);
  if (!tenantId) return;
  if (principal.kind === "tenant" && principal.tenantId !== tenantId) return;
  // /tenants/{id}/{kind}/{kindId}/… → resource type {kind} and id {kindId}; bare → the tenant.
  const kind = parts[2];
  record(c, {
    tenantId,
    clientId: principal.kind === "operator" ? "admin" : "tenant-admin",
    resourceType: kind ?? "tenant",
    resourceId: kind ? (parts[3] ?? createdId(c.res) ?? null) : tenantId,
    actor: actorOf(principal),
  });
});

/** Mounted on /portal/v1/*: a tenant admin's portal writes (sign-in, sign-out, API tokens). */
export const auditPortal = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const principal = c.get("principal");
  if (!WRITE_METHODS.has(c.req.method) || principal?.kind !== "tenant") return;
  const [kind, id] = segmentsAfter(c.req.path, "/portal/v1");
  record(c, {
    tenantId: principal.tenantId,
    clientId: "portal",
    resourceType: kind ?? null,
    resourceId: id ?? createdId(c.res) ?? (kind === "session" ? principal.credentialId : null),
    actor: actorOf(principal),
  });
});
