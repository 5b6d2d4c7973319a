// Shapes of the admin API responses the console reads. The provisioning ones are the API's own
// types (import type: nothing of the Worker is bundled); the others are still written out here.
// Fields marked optional may be absent on an older deployment: the cards render without them.
import type { ProvisioningStatus } from "../../src/sync/admin/responses";
export type { CycleCounts } from "../../src/sync/engine/cycle-state";

export type {
  CycleHistory,
  DriftItem,
  DriftReport,
  ParkedEntry as ParkedItem,
  PhaseProgress,
  ProvisioningLogEntry as LogEntry,
  ProvisioningStatus,
} from "../../src/sync/admin/responses";
export type Deletions = ProvisioningStatus["deletions"];

export type TenantState = "active" | "deleting" | "deleted";

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
  state?: TenantState;
  deletedAt?: string | null;
  /** While a deleted tenant's rows are purged: how far the cron got. */
  purge?: { done: boolean; remaining: Record<string, number> } | null;
  scim: { tenantUrl: string; tokenEndpoint: string };
  /** The D1 binding (shard) that holds the tenant's rows: DB, DB_1, … */
  shard?: string;
}

export interface Client {
  client_id: string;
  name: string;
  status: string;
  created_at: string;
}

export interface AuditEntry {
  at: string;
  clientId: string | null;
  method: string;
  path: string;
  status: number;
  rewrites?: string[];
  resourceType?: string | null;
  resourceId?: string | null;
  /** SCIM writes: the userName / displayName the client sent (POST, PUT). */
  resourceName?: string | null;
}

/** GET …/tenants/:id/tokens: a tenant's tokens over all its clients. */
export interface TokenRow {
  jti: string;
  client_id: string;
  issued_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** Live and expiring within 30 days. */
  expiring_soon?: boolean;
}

/** GET /admin/v1/tokens/expiring: live tokens of every tenant expiring within the window. */
export interface ExpiringToken {
  tenant_id: string;
  tenant_name: string;
  client_id: string;
  jti: string;
  expires_at: string;
  days_left: number;
  issued_at: string;
}

export type SetupLinkStatus = "active" | "used" | "expired" | "revoked";

export interface SetupLink {
  id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  status: SetupLinkStatus;
  note: string | null;
}

/** A tenant admin's API token as the operator sees it (never the secret). */
export interface TenantApiToken {
  id: string;
  name: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  created_by: string | null;
  ends_with_creator: boolean;
}

export interface PortalSessionRow {
  id: string;
  link_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  status: "active" | "expired" | "revoked";
}
