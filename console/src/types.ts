// Shapes of the admin API responses the console reads (src/http/routes/*). Fields marked
// optional may be absent on an older deployment: the cards render without them.

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

export interface PhaseProgress {
  phase: string;
  done: number;
  total: number;
}

export interface Deletions {
  state: "flowing" | "awaitingConfirmation";
  users: number;
  groups: number;
  threshold?: { percent: number; minimum: number };
  /** The live confirmation: the held deletions it lets through, until expiresAt. */
  confirmed?: { users: number; groups: number; expiresAt: string } | null;
}

export interface ProvisioningStatus {
  configured: boolean;
  state: "started" | "stopped";
  activity: "running" | "paused" | "idle";
  currentCycle: {
    id: string;
    kind: string;
    startedAt: string;
    invocations: number;
    progress: { done: number; total: number; phase: string; phases?: PhaseProgress[] };
    counts: Record<string, number>;
  } | null;
  lastCycle: { id: string; kind: string; finishedAt: string; durationMs: number; counts: Record<string, number>; pending: number } | null;
  nextRunAt: string | null;
  hubBlockedUntil: string | null;
  lastSweepAt: string | null;
  sweepRequested: string | null;
  lastError: string | null;
  queue: { queued: number; pending: number; parked: number };
  stuck?: { reason: string; since: string; runs: number; retryAt?: string | null } | null;
  /** slow: the hub was timing out or erroring; the tenant runs alone until a run finishes. */
  lane?: "fast" | "slow";
  laneSince?: string | null;
  foreign?: { users: number; groups: number } | null;
  deletions?: Deletions | null;
  hubNameCheck?: { fallbacks: number; lastFallbackAt: string | null } | null;
}

export interface LogEntry {
  at: string;
  action: string;
  count: number | null;
  scimId: string | null;
  /** The user's userName or the group's displayName (null once it is gone). */
  name?: string | null;
  result: string;
  error: string | null;
}

export interface ParkedItem {
  id: number;
  kind: string;
  resourceId: string;
  memberId: string | null;
  name?: string | null;
  memberName?: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

export interface CycleHistory {
  cycleId: string;
  startedAt: string;
  ok: number;
  failed: number;
  parked: number;
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

export interface DriftItem {
  kind: string;
  resourceType: string;
  scimId: string | null;
  hubId: string | null;
  name: string | null;
  reason: string;
  repair: string;
}

/** GET …/provisioning/drift: the last drift report. */
export interface DriftReport {
  id: string;
  state: "running" | "done" | "failed";
  requestedAt: string;
  finishedAt: string | null;
  phase: string;
  progress: Record<string, number>;
  counts: Record<string, number>;
  differences: number;
  items: DriftItem[];
  truncated: boolean;
  error: string | null;
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
