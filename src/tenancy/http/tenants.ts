// Admin API (ADMIN_TOKEN): tenants, SCIM clients (create / list / revoke / rotate), tokens. A new
// tenant goes to the shard with the most room, or to the one the admin names.
import { Hono } from "hono";
import { z } from "zod";
import { hashSecret, newClientSecret } from "../../access/port";
import { issueAccessToken } from "../../access/port";
import { DEFAULT_TOKEN_LIFETIME_S, MAX_TOKEN_LIFETIME_S, MIN_TOKEN_LIFETIME_S } from "../../access/port";
import { newId, randomToken } from "../../platform/ids";
import { invalidValue, notFound } from "../../scim/errors";
import { roomiest } from "../storage/placement";
import { shardLoads } from "../storage/shard-stats";
import { isShard, shardDb } from "../../platform/d1/shards";
import { createClient, createTenant, listAllTenants } from "../storage/tenant-directory";
import {
  findClient,
  listClients,
  listIssuedTokens,
  revokeClient,
  revokeIssuedToken,
  rotateClientSecret,
} from "../storage/tenants";
import { activeTenant, tenantJson } from "./admin-tenant";
import type { ClientJson, CreatedClientJson } from "./responses";
import { checkEnvelope, readJsonBody } from "../../http/body";
import { scimBaseUrl, type AdminTenantEnv, type AdminEnv } from "../../http/context";
import { creatorJson, creatorOf, endsWithCreator, secretShownOnce } from "../../access/port";
import { tokenJson } from "../../access/port";

export const NameBody = z.object({
  name: z.string({ error: "name is required (a string)" }).trim().min(1, "name is required").max(200),
});
const CreateTenantBody = NameBody.extend({
  shard: z.string({ error: "shard must be a string (a shard binding name, GET /admin/v1/shards)" }).max(40).optional(),
});
// keep: the credential stays when the tenant API token that made it is revoked
// (src/access/http/credential-creator.ts); without effect for the operator's and a portal session's.
const Keep = { keep: z.boolean().default(false) };
const IssueTokenBody = z.object({
  expires_in: z.number().int().min(MIN_TOKEN_LIFETIME_S).max(MAX_TOKEN_LIFETIME_S).default(DEFAULT_TOKEN_LIFETIME_S),
  ...Keep,
});
const CreateClientBody = NameBody.extend(Keep);


/** /admin/v1/tenants: the deployment's tenants (the operator only). */
export const tenantRoutes = new Hono<AdminEnv>()
  .post("/", async (c) => {
    const { name, shard: named } = checkEnvelope(CreateTenantBody, await readJsonBody(c));
    if (named !== undefined && !isShard(c.env, named)) {
      throw invalidValue(`shard: ${JSON.stringify(named)} is not a shard of this deployment (GET /admin/v1/shards lists them)`);
    }
    const directory = c.get("directory");
    const shard = named ?? roomiest(await shardLoads(c.env, directory));
    const row = { id: newId(), name, createdAt: new Date().toISOString(), state: "active" as const, deletedAt: null };
    const db = shardDb(c.env, shard);
    await createTenant({ shard, db }, directory, row);
    // The tenant's own rows (the audit entry of its creation) go to its shard from here on.
    c.set("db", db);
    c.set("shard", shard);
    c.get("log").info("tenant created", { tenantId: row.id, shard, placement: named ? "named" : "roomiest" });
    return c.json(tenantJson(row, shard), 201, { Location: `${c.get("origin")}/admin/v1/tenants/${row.id}` });
  })
  .get("/", async (c) =>
    c.json({ tenants: (await listAllTenants(c.env, c.get("directory"))).map((t) => tenantJson(t, t.shard)) }),
  );

/** /admin/v1/tenants/{id}: a tenant's SCIM clients and tokens. */
export const tenantClientRoutes = new Hono<AdminTenantEnv>()
  .post("/clients", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    const { name, keep } = checkEnvelope(CreateClientBody, await readJsonBody(c));
    const secret = newClientSecret();
    const row = {
      tenantId: tenant.id,
      clientId: `scim_${randomToken(12)}`,
      name,
      secretHash: await hashSecret(secret),
      status: "active" as const,
      createdAt: new Date().toISOString(),
      createdBy: creatorOf(c.get("principal")),
      endsWithCreator: endsWithCreator(c.get("principal"), "scim-credential", keep),
    };
    await createClient({ shard: c.get("shard"), db: c.get("db") }, c.get("directory"), row);
    const origin = c.get("origin");
    const created: CreatedClientJson = {
      client_id: row.clientId,
      client_secret: secret,
      name,
      status: row.status,
      created_at: row.createdAt,
      token_endpoint: `${origin}/oauth/token`,
      scim_base_url: scimBaseUrl(origin),
      ...creatorJson(row),
    };
    return c.json(created, 201, secretShownOnce());
  })
  .get("/clients", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    const rows = await listClients(c.get("db"), tenant.id);
    return c.json({
      clients: rows.map((r): ClientJson => ({
        client_id: r.clientId,
        name: r.name,
        status: r.status,
        created_at: r.createdAt,
        secret_rotated_at: r.secretRotatedAt,
        revoked_at: r.revokedAt,
        ...creatorJson(r),
      })),
    });
  })
  .delete("/clients/:clientId", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    const done = await revokeClient(c.get("db"), tenant.id, c.req.param("clientId"), new Date().toISOString());
    if (done.length === 0) throw notFound("client not found or already revoked");
    return c.body(null, 204);
  })
  .post("/clients/:clientId/rotate", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    const secret = newClientSecret();
    const now = new Date().toISOString();
    const done = await rotateClientSecret(c.get("db"), tenant.id, c.req.param("clientId"), await hashSecret(secret), now);
    if (done.length === 0) throw notFound("client not found or revoked");
    return c.json({ client_id: c.req.param("clientId"), client_secret: secret, secret_rotated_at: now }, 200, secretShownOnce());
  })
  .post("/clients/:clientId/tokens", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    // No body means the defaults; a body that is not valid JSON is a 400, never a silent default.
    const raw = c.req.raw.body === null || c.req.header("Content-Length") === "0" ? {} : await readJsonBody(c);
    const { expires_in, keep } = checkEnvelope(IssueTokenBody, raw);
    const client = await findClient(c.get("db"), tenant.id, c.req.param("clientId"));
    if (!client || client.status !== "active") throw notFound("client not found or revoked");
    const creator = { createdBy: creatorOf(c.get("principal")), endsWithCreator: endsWithCreator(c.get("principal"), "scim-credential", keep) };
    const issued = await issueAccessToken(
      { config: c.get("config"), origin: c.get("origin"), now: new Date() },
      { shard: c.get("shard"), db: c.get("db") },
      client,
      expires_in,
      creator,
    );
    return c.json(
      { access_token: issued.accessToken, token_type: "Bearer", expires_in, expires_at: issued.expiresAt, jti: issued.jti, ...creatorJson(creator) },
      201,
      secretShownOnce(),
    );
  })
  .get("/clients/:clientId/tokens", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    if (!(await findClient(c.get("db"), tenant.id, c.req.param("clientId")))) throw notFound("client not found");
    const rows = await listIssuedTokens(c.get("db"), tenant.id, c.req.param("clientId"));
    const now = new Date();
    return c.json({ tokens: rows.map((r) => tokenJson(r, now)) });
  })
  .delete("/tokens/:jti", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    const done = await revokeIssuedToken(c.get("db"), tenant.id, c.req.param("jti"), new Date().toISOString());
    if (done.length === 0) throw notFound("token not found or already revoked");
    return c.body(null, 204);
  });
