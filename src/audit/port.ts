// The audit feature's port: What other features may use of the audit log.
// Other features import this file only (docs/architecture.md "Layers"; checked by scripts/check-layout.mjs).
export { resourceNames } from "./request-log";
