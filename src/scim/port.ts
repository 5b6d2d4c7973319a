// The scim feature's port: What other features may use of the SCIM domain beyond its errors and URNs (scim/errors.ts, scim/urns.ts).
// Other features import this file only (docs/architecture.md "Layers"; checked by scripts/check-layout.mjs).
export type { Rewrite } from "./compat/entra";
export { groupResource } from "./groups/representation";
export { specOfRow } from "./http/tenant-schemas";
export { NAMING_RULE_CODE, badEmailCharacters, describeViolation, hubNamingViolations } from "./hub-naming-rules";
export { ADDITIONAL_ATTRIBUTES_SCHEMA, additionalAttributesSchema } from "./schema/additional-attributes";
export { extensionSchema } from "./schema/declared-extension";
export { outboxRow } from "./storage/outbox";
export { listTenantExtensions } from "./storage/tenant-extensions";
export { indexedColumns } from "./storage/users";
export type { HubNameCheck, HubNameVerdict } from "./storage/users";
export type { Store, StoredResource } from "./store";
export { storedResourceOf, type StoredResourceRow } from "./storage/resource-row";
export { userResource } from "./users/representation";
