// A tenant admin's API tokens for scripts (`scimta_…`): issued from a portal session only, shown
// once, stored as a SHA-256 hash; they call the tenant-scoped admin routes without a browser.
// Each records the session that made it and ends with it unless made with `keep: true`; revoking
// one revokes the SCIM clients and tokens it made unless those were kept
// (src/access/http/credential-creator.ts).
import { Hono } from "hono";
import { z } from "zod";
import { hashSecret } from "../../client-secret";
import { newId } from "../../../platform/ids";
import { notFound } from "../../../scim/errors";
import { insertTenantApiToken, listTenantApiTokens, revokeTenantApiToken } from "../../storage/tenant-api-tokens";
import { checkEnvelope, readJsonBody } from "../../../http/body";
import type { PortalSessionEnv } from "../../../http/context";
import { portalSessionAuth } from "../portal-auth";
import { apiTokenJson, creatorJson, creatorOf, endsWithCreator, secretShownOnce } from "../credential-creator";
import { newApiToken } from "../tenant-credentials";
import { isoDaysAfter } from "../../../platform/clock";

const IssueBody = z.object({
  name: z.string({ error: "name is required (a string)" }).trim().min(1, "name is required").max(100),
  expires_in_days: z.number().int().min(1).max(365).default(90),
  // Keep it after the session that made it ends (sign-out, setup-link revocation).
  keep: z.boolean().default(false),
});

export const portalApiTokenRoutes = new Hono<PortalSessionEnv>()
  .use("/api-tokens", portalSessionAuth)
  .use("/api-tokens/*", portalSessionAuth)
  .post("/api-tokens", async (c) => {
    const body = checkEnvelope(IssueBody, await readJsonBody(c, 4096));
    const token = newApiToken(c.var.principal.tenantId);
    const now = new Date();
    const row = {
      id: newId(),
      tenantId: c.var.principal.tenantId,
      name: body.name,
      tokenHash: await hashSecret(token),
      createdAt: now.toISOString(),
      expiresAt: isoDaysAfter(now, body.expires_in_days),
      revokedAt: null,
      lastUsedAt: null,
      createdBy: creatorOf(c.get("principal")),
      endsWithCreator: endsWithCreator(c.get("principal"), "api-token", body.keep),
    };
    await insertTenantApiToken(c.get("db"), row);
    return c.json(
      { id: row.id, name: row.name, token, created_at: row.createdAt, expires_at: row.expiresAt, ...creatorJson(row) },
      201,
      secretShownOnce(`${c.get("origin")}/portal/v1/api-tokens/${row.id}`),
    );
  })
  .get("/api-tokens", async (c) => {
    const rows = await listTenantApiTokens(c.get("db"), c.var.principal.tenantId);
    return c.json({ api_tokens: rows.map(apiTokenJson) });
  })
  .delete("/api-tokens/:id", async (c) => {
    const done = await revokeTenantApiToken(c.get("db"), c.var.principal.tenantId, c.req.param("id"), new Date().toISOString());
    if (!done) throw notFound("API token not found or already revoked");
    return c.body(null, 204);
  });
