// Shapes of the admin API responses the console reads: the API's own types (import type: nothing
// of the Worker is bundled), so a changed field fails the console's typecheck too.
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
  AdoptResultJson,
  HubHeldNameJson,
  HubHeldNamesJson,
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

export type {
  ActiveTenantJson,
  ClientJson,
  CreatedClientJson,
  OffboardedTenantJson,
  TenantJson,
  TenantState,
  TenantStatusJson,
} from "../../src/tenancy/http/responses";
export type { AuditEntryJson } from "../../src/audit/responses";
