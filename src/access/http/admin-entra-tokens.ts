// Admin: a tenant's opt-in trust of Entra-issued tokens (src/access/entra-tokens.ts, docs/auth.md).
// PUT/GET/DELETE /admin/v1/tenants/{id}/entra-tokens. The directory's copy routes the tokens and
// keeps an Entra tenant to one of our tenants across shards, so it is written first (its 409
// stops the PUT before the shard changes) and deleted first (trust ends with it).
import { Hono } from "hono";
import { z } from "zod";
import { assertionAudiences, assertionIssuers } from "../client-assertion";
import { ENTRA_DEFAULT_JWKS_URL, ENTRA_PROVISIONING_AUDIENCE } from "../entra-tokens";
import { ScimError, notFound } from "../../scim/errors";
import { deleteTrust, deleteTrustRoute, findTrust, upsertTrust, upsertTrustRoute, type EntraTrustRow } from "../storage/entra-trust";
import { activeTenant } from "../../tenancy/port";
import { checkEnvelope, readJsonBody } from "../../http/body";
import type { AdminTenantEnv } from "../../http/context";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TrustBody = z.object({
  entraTenantId: z.string({ error: "entraTenantId is required" }).regex(GUID, "entraTenantId must be a GUID"),
  audience: z.string().trim().min(1).max(500).default(ENTRA_PROVISIONING_AUDIENCE),
  jwksUrl: z
    .string()
    .url("jwksUrl must be a URL")
    .max(2000)
    // https only; http solely for the test/dev service-binding host (as Device Hub base URLs).
    // zod runs every check even after .url() failed, so this one must not throw on a non-URL.
    .refine((u) => u.startsWith("https://") || URL.parse(u)?.hostname === "device-hub", "jwksUrl must use https")
    .default(ENTRA_DEFAULT_JWKS_URL),
  // The enterprise application's Application (client) ID: Entra-issued tokens whose appid/azp
  // differ are 401, and (workload identity federation, src/access/client-assertion.ts) its tokens
  // may be exchanged for ours; plus an extra audience such a token may carry.
  appId: z.string().regex(GUID, "appId must be a GUID (the Entra application's client id)").nullable().default(null),
  assertionAudience: z.string().trim().min(1).max(500).nullable().default(null),
});

const trustJson = (t: EntraTrustRow, origin: string) => ({
  entraTenantId: t.entraTenantId,
  audience: t.audience,
  jwksUrl: t.jwksUrl,
  issuer: `https://sts.windows.net/${t.entraTenantId}/`,
  appId: t.appId,
  assertionAudience: t.assertionAudience,
  // What an Entra token must carry to be exchanged at the token endpoint (docs/entra.md).
  federation: t.appId
    ? { tokenEndpoint: `${origin}/oauth/token`, audiences: assertionAudiences(t, origin), issuers: assertionIssuers(t.entraTenantId) }
    : null,
  // A trust from before app ids: any application of that Entra tenant is accepted until one is set.
  appIdMissing: t.appId === null,
  updatedAt: t.updatedAt,
});

export const entraTokenRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    const trust = await findTrust(c.get("db"), tenant.id);
    if (!trust) throw notFound("this tenant does not accept Entra-issued tokens");
    return c.json(trustJson(trust, c.get("origin")));
  })
  .put("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const body = checkEnvelope(TrustBody, await readJsonBody(c));
    const row = {
      tenantId: tenant.id,
      ...body,
      entraTenantId: body.entraTenantId.toLowerCase(),
      appId: body.appId?.toLowerCase() ?? null,
      updatedAt: new Date().toISOString(),
    };
    try {
      await upsertTrustRoute(c.get("directory"), row);
    } catch (err) {
      // The token's tid must lead to exactly one of our tenants.
      if (/UNIQUE constraint failed/.test(String((err as Error)?.message) + String((err as { cause?: Error })?.cause?.message))) {
        throw new ScimError(409, "another tenant already accepts tokens from this Entra tenant");
      }
      throw err;
    }
    await upsertTrust(db, row);
    return c.json(trustJson(row, c.get("origin")));
  })
  .delete("/", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    await deleteTrustRoute(c.get("directory"), tenant.id);
    const gone = await deleteTrust(c.get("db"), tenant.id);
    if (gone.length === 0) throw notFound("this tenant does not accept Entra-issued tokens");
    return c.body(null, 204);
  });
