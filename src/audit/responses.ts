// The shape the admin API answers a tenant's audit log with, as types only: the storage reads
// into it and the console imports it (import type), so a changed column fails the typecheck of
// both sides. This file imports nothing: the console's typecheck (DOM, no Workers types) reads it.

/** One audited request (GET /admin/v1/tenants/{id}/audit). */
export interface AuditEntryJson {
  at: string;
  /** The SCIM client id, or "admin" for the admin API. */
  clientId: string;
  requestId: string;
  method: string;
  path: string;
  resourceType: string | null;
  resourceId: string | null;
  status: number;
  /** The Entra compatibility rewrites that fired (names only). */
  rewrites: string[];
  /** Who acted: "operator", "portal-session:<id>" or "api-token:<id>" (admin and portal rows). */
  actor: string | null;
  /** SCIM writes: the userName / displayName the client sent (POST, PUT). */
  resourceName: string | null;
  /** SCIM requests that failed: the scimType and detail we answered. */
  errorType: string | null;
  errorDetail: string | null;
}

/** GET /admin/v1/tenants/{id}/audit: a page, newest first. */
export interface AuditPageJson {
  entries: AuditEntryJson[];
  nextCursor: string | null;
}
