// The access feature's port: What other features may use of access (tokens, keys, tenant credentials, the token gate).
// Other features import this file only (docs/architecture.md "Layers"; checked by scripts/check-layout.mjs).
export { hashSecret, newClientSecret } from "./client-secret";
export { adminAuth } from "./http/admin-auth";
export { creatorJson, creatorOf, endsWithCreator, secretShownOnce } from "./http/credential-creator";
export { actorOf } from "./http/principal";
export { chargeScim } from "./http/rate-limit";
export type { PortalSession } from "./http/tenant-credentials";
export { tokenJson } from "./http/token-json";
export { loadKeyRing } from "./keys";
export { OAuthError, oauthErrorResponse } from "./oauth-error";
export { registerClient } from "./storage/client-directory";
export { deleteTrustRoute } from "./storage/entra-trust";
export type { TokenGate } from "./storage/token-gate";
export { issueAccessToken } from "./token-service";
export { DEFAULT_TOKEN_LIFETIME_S, MAX_TOKEN_LIFETIME_S, MIN_TOKEN_LIFETIME_S } from "./tokens";
