// The one rule for derived credentials (docs/security.md "Credentials"): every credential records
// who created it, and whether it ends when that creator ends.
// - The operator's creations end with nothing (the operator revokes them).
// - A portal session's SCIM clients and tokens survive sign-out: making the Entra secret token is
//   what the portal is for. Its API tokens end with it (sign-out, setup-link revocation, an
//   operator ending it) unless the customer asked to keep them (`keep: true`).
// - An API token's SCIM clients and tokens end with it unless kept.
import type { Principal } from "../../http/context";
import type { TenantApiTokenRow } from "../storage/tenant-api-tokens";
import type { ApiTokenJson, CreatorJson } from "./responses";

/** 'operator', 'session:<id>' or 'api-token:<id>' (stored in created_by). */
export function creatorOf(principal: Principal | undefined): string {
  if (!principal || principal.kind === "operator") return "operator";
  return `${principal.via === "session" ? "session" : "api-token"}:${principal.credentialId}`;
}

/** Does a credential of `kind` made by `principal` end with it? `keep` is the customer's choice. */
export function endsWithCreator(principal: Principal | undefined, kind: "api-token" | "scim-credential", keep: boolean): boolean {
  if (!principal || principal.kind === "operator" || keep) return false;
  if (principal.via === "session") return kind === "api-token";
  return true;
}

/** The two fields every credential's JSON carries. */
export const creatorJson = (row: { createdBy: string | null; endsWithCreator: boolean }): CreatorJson => ({
  created_by: row.createdBy,
  ends_with_creator: row.endsWithCreator,
});

/**
 * The headers of an answer that shows a new credential's secret, the one time it is shown: never
 * kept by a cache, and (when the credential can be read back) where it lives from now on.
 */
export const secretShownOnce = (location?: string): Record<string, string> => ({
  "Cache-Control": "no-store",
  ...(location === undefined ? {} : { Location: location }),
});

/** A tenant API token as the portal and the operator list it (never its secret or hash). */
export const apiTokenJson = (r: TenantApiTokenRow): ApiTokenJson => ({
  id: r.id,
  name: r.name,
  created_at: r.createdAt,
  expires_at: r.expiresAt,
  revoked_at: r.revokedAt,
  last_used_at: r.lastUsedAt,
  ...creatorJson(r),
});
