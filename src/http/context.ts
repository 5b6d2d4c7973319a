// The Hono environment: bindings plus per-request variables set by the early middleware.
import type { Bindings, Config } from "../config";
import type { Logger } from "../platform/log";
import type { Db } from "../platform/d1/db";
import type { Store } from "../scim/port";
import type { Rewrite } from "../scim/port";
import type { TokenGate } from "../access/port";
import type { PortalSession } from "../access/port";
import type { TenantRow } from "../tenancy/port";

export interface AuthContext {
  tenantId: string;
  clientId: string;
  jti: string;
}

/** Who is calling the admin API (set by admin-auth) or the portal API (set by portal-auth). */
export type Principal =
  | { kind: "operator" }
  | { kind: "tenant"; tenantId: string; via: "session" | "api-token"; credentialId: string };

/** A tenant admin: the only caller the portal lets through. */
export type TenantPrincipal = Extract<Principal, { kind: "tenant" }>;

/** What every surface's early middleware sets (request-context, and the admin/portal guards). */
export interface Variables {
  requestId: string;
  log: Logger;
  config: Config;
  /**
   * The database of the request's tenant: its shard on /scim/v2/* (tenant-auth) and under
   * /admin/v1/tenants/{id} (admin-tenant-shard); the directory elsewhere.
   */
  db: Db;
  /** The directory (the DB binding): placement, client ids, Entra trust (src/platform/d1/shards.ts). */
  directory: Db;
  /** The name of the shard `db` is on ("DB", "DB_1", …). */
  shard: string;
  /** Public origin (PUBLIC_URL or the request origin), without trailing slash. */
  origin: string;
  /** Names of Entra compatibility rewrites that fired for this request (for logs and counters). */
  rewrites: Rewrite[];
  /** Set where the admin API is mounted: its errors answer `{error: {status, message}}`. */
  adminSurface?: true;
  /** The authenticated caller of /admin/v1 or /portal/v1. */
  principal?: Principal;
  /** The portal session behind the request's cookie (set by portal-auth when it authenticated it). */
  portalSession?: PortalSession;
  /** Only on /scim/v2 (see ScimVariables, where they are always set); the access log reads auth. */
  auth?: AuthContext;
  gate?: TokenGate;
  store?: Store;
  /** The userName / displayName of a JSON body (set by readJsonBody), for the audit row. */
  auditName?: string;
  /** The error this request was answered with (set by onError), for the audit row. */
  auditError?: { scimType: string | undefined; detail: string };
}

/** /scim/v2/*: what tenant-auth and scim-context add, present on every SCIM route. */
export interface ScimVariables extends Variables {
  auth: AuthContext;
  /** The request's revocation check, folded into its first D1 batch (set by tenant-auth). */
  gate: TokenGate;
  /** Tenant-scoped store, set after tenant-auth. */
  store: Store;
}

/** /admin/v1/*: admin-auth has admitted the caller (the operator or a tenant admin). */
export interface AdminVariables extends Variables {
  adminSurface: true;
  principal: Principal;
}

/**
 * /admin/v1/tenants/{id}/*: admin-tenant-shard has put the request on the tenant's shard (`db`)
 * and loaded its row there, whatever its state, once: no handler looks the tenant up again
 * (activeTenant() in src/tenancy/http/admin-tenant.ts refuses one that is offboarded).
 */
export interface AdminTenantVariables extends AdminVariables {
  tenant: TenantRow;
}

/** /portal/v1/* behind portalAuth: a tenant admin, by its portal session or one of its API tokens. */
export interface PortalVariables extends Variables {
  principal: TenantPrincipal;
}

/** Behind portalSessionAuth: a portal session, never an API token (sign-out, issuing API tokens). */
export interface PortalSessionVariables extends PortalVariables {
  portalSession: PortalSession;
}

/** Every surface: the base the admin, portal, token and health routes run on. */
export type AppEnv = { Bindings: Bindings; Variables: Variables };
/** The SCIM surface (/scim/v2 and its aliases): auth, gate and store are always there. */
export type ScimEnv = { Bindings: Bindings; Variables: ScimVariables };
/** The admin API outside one tenant (tenant list, shards, expiring tokens). */
export type AdminEnv = { Bindings: Bindings; Variables: AdminVariables };
/** The admin API of one tenant: its shard and its row are there. */
export type AdminTenantEnv = { Bindings: Bindings; Variables: AdminTenantVariables };

/** The portal's routes behind portalAuth: the tenant is the principal's. */
export type PortalEnv = { Bindings: Bindings; Variables: PortalVariables };
/** The portal's routes behind portalSessionAuth: the session is there too. */
export type PortalSessionEnv = { Bindings: Bindings; Variables: PortalSessionVariables };

export const scimBaseUrl = (origin: string) => `${origin}/scim/v2`;
