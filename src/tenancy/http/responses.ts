// The shapes the admin API answers with for tenants and their SCIM clients, as types only: the
// routes are written against them and the console imports them (import type), so a changed field
// fails the typecheck of both sides instead of drifting. This file imports nothing: the console's
// typecheck (DOM, no Workers types) reads it too.

export type TenantState = "active" | "deleting" | "deleted";

/** A tenant in the list, and the answer of create and rename: its row and the shard that holds it. */
export interface TenantJson {
  id: string;
  name: string;
  createdAt: string;
  state: TenantState;
  deletedAt: string | null;
  /** The D1 binding (shard) that holds the tenant's rows: DB, DB_1, … */
  shard: string;
}

/** GET /admin/v1/tenants/{id} of an active tenant: with what Entra is configured with. */
export interface ActiveTenantJson extends TenantJson {
  scim: { tenantUrl: string; tokenEndpoint: string };
}

/** GET /admin/v1/tenants/{id} of an offboarded (deleting or deleted) tenant: how far the purge got. */
export interface OffboardedTenantJson extends TenantJson {
  purge: { done: boolean; remaining: Record<string, number> };
}

/** GET /admin/v1/tenants/{id}: which of the two depends on the tenant's state. */
export type TenantStatusJson = ActiveTenantJson | OffboardedTenantJson;

/** Who made a SCIM client (the fields of access's CreatorJson; this file imports nothing). */
interface ClientCreatorJson {
  created_by: string | null;
  ends_with_creator: boolean;
}

/** A SCIM client in a tenant's list (GET …/tenants/{id}/clients): never its secret. */
export interface ClientJson extends ClientCreatorJson {
  client_id: string;
  name: string;
  status: "active" | "revoked";
  created_at: string;
  secret_rotated_at: string | null;
  revoked_at: string | null;
}

/** POST …/tenants/{id}/clients: the new client with its secret, shown this once. */
export interface CreatedClientJson extends ClientCreatorJson {
  client_id: string;
  client_secret: string;
  name: string;
  status: "active";
  created_at: string;
  token_endpoint: string;
  scim_base_url: string;
}
