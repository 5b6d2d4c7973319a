// Shapes of the admin API responses the console reads. The provisioning and credential ones are
// the API's own types (import type: nothing of the Worker is bundled); tenants, clients and audit
// entries are still written out here.
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
export type {
  ApiTokenJson as TenantApiToken,
  ExpiringTokenJson as ExpiringToken,
  PortalSessionJson as PortalSessionRow,
  SetupLinkJson as SetupLink,
  SetupLinkStatus,
  TokenJson as TokenRow,
} from "../../src/access/http/responses";

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

