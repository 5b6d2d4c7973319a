// The shapes the admin and portal APIs answer with for credentials, as types only: the routes are
// written against them and the console and portal import them (import type), so both sides fail
// the typecheck together when a field changes. This file imports nothing: the console's typecheck
// (DOM, no Workers types) reads it too.

/** Who made a credential, and whether it ends with its maker (src/access/http/credential-creator.ts). */
export interface CreatorJson {
  created_by: string | null;
  ends_with_creator: boolean;
}

/** A SCIM access token in a tenant's list (GET …/tenants/{id}/tokens, …/clients/{id}/tokens). */
export interface TokenJson extends CreatorJson {
  jti: string;
  client_id: string;
  issued_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** Live and expiring within 30 days. */
  expiring_soon: boolean;
}

/** GET /admin/v1/tokens/expiring: a live token of any tenant expiring within the window. */
export interface ExpiringTokenJson {
  tenant_id: string;
  tenant_name: string;
  client_id: string;
  jti: string;
  issued_at: string;
  expires_at: string;
  days_left: number;
}

/** A tenant API token as the portal and the operator list it (never its secret or hash). */
export interface ApiTokenJson extends CreatorJson {
  id: string;
  name: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export type SetupLinkStatus = "active" | "used" | "expired" | "revoked";

/** GET …/tenants/{id}/setup-links: a link as the operator sees it (never its secret). */
export interface SetupLinkJson {
  id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  status: SetupLinkStatus;
  note: string | null;
}

/** GET …/tenants/{id}/portal-sessions: a portal session as the operator sees it. */
export interface PortalSessionJson {
  id: string;
  link_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  status: "active" | "expired" | "revoked";
}

/** POST /portal/v1/setup-link: which tenant a link signs in to (it is not spent). */
export interface LinkPreviewJson {
  tenant_id: string;
  tenant_name: string;
  expires_at: string;
}

/** /portal/v1/session: the signed-in tenant; csrf_token only in the sign-in answer (POST). */
export interface PortalSignInJson extends LinkPreviewJson {
  csrf_token?: string;
}

/** A SCIM extension schema a mapping may target, as the portal lists it. */
export interface ExtensionInfoJson {
  urn: string;
  builtIn: boolean;
  attributes: string[];
}

/** GET /portal/v1/connection: what the customer pastes into Entra, also in Eptura's terms. */
export interface ConnectionJson {
  tenant_id: string;
  tenant_name: string;
  tenant_url: string;
  token_endpoint: string;
  token_provider_url: string;
  eptura_tenant_url: string;
  extensions: ExtensionInfoJson[];
}
