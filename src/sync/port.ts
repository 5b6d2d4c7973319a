// The sync feature's port: What other features may use of the Device Hub sync.
// Other features import this file only (docs/architecture.md "Layers"; checked by scripts/check-layout.mjs).
export { hubNameCheck } from "./hub/name-check";
export type { SyncQueue } from "./queue/messages";
export { hubUserNameGuard, upsertHubUsersStatements } from "./storage/sync-mirror";
export { recordOwnershipStatement } from "./storage/sync-owned";
export { hubNamingRulesEnforced } from "./storage/sync-state";
