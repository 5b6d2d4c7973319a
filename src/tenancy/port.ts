// The tenancy feature's port: What other features may use of tenancy (tenants, placement, rate-limit tiers, moves).
// Other features import this file only (docs/architecture.md "Layers"; checked by scripts/check-layout.mjs).
export { activeTenant, requireTenant } from "./http/admin-tenant";
export { routeToTenantShard } from "./http/tenant-route";
export type { MoveQueue } from "./move/hand-on";
export { readPlacedRows } from "./storage/across-shards";
export { groupByShard, placementOf, placementsOf } from "./storage/placement";
export { tenantTier } from "./storage/rate-limit-tiers";
export type { RateLimitTier } from "./storage/rate-limit-tiers";
export { findClient, findTenant, insertIssuedToken } from "./storage/tenants";
export type { IssuedTokenRow, TenantRow } from "./storage/tenants";
