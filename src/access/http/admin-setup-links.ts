// Admin (operator only): setup links that let a customer's IT admin into the portal for one tenant.
// The link's secret travels in the URL fragment (never sent to a server, so never in a log), is
// shown once and stored as a SHA-256 hash; revoking a link also ends the sessions it opened.
import { Hono } from "hono";
import { z } from "zod";
import { hashSecret } from "../client-secret";
import { newId } from "../../platform/ids";
import { notFound } from "../../scim/errors";
import { insertSetupLink, listSetupLinks, revokeSetupLink, type SetupLinkRow } from "../storage/setup-links";
import { activeTenant } from "../../tenancy/port";
import { checkEnvelope, readJsonBody } from "../../http/body";
import type { AdminTenantEnv } from "../../http/context";
import { newLinkSecret } from "./tenant-credentials";
import { isoDaysAfter } from "../../platform/clock";
import type { SetupLinkJson, SetupLinkStatus } from "./responses";
import { secretShownOnce } from "./credential-creator";

const CreateBody = z.object({
  expires_in_days: z.number().int().min(1).max(30).default(7),
  note: z.string().trim().max(200).optional(),
});

function linkStatus(row: SetupLinkRow, now: string): SetupLinkStatus {
  if (row.revokedAt) return "revoked";
  if (row.usedAt) return "used";
  return row.expiresAt <= now ? "expired" : "active";
}

export const setupLinkRoutes = new Hono<AdminTenantEnv>()
  .post("/", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    // No body means the defaults; a body that is not valid JSON is a 400, never a silent default.
    const raw = c.req.raw.body === null || c.req.header("Content-Length") === "0" ? {} : await readJsonBody(c, 4096);
    const body = checkEnvelope(CreateBody, raw);
    const secret = newLinkSecret(tenant.id);
    const now = new Date();
    const row: SetupLinkRow = {
      id: newId(),
      tenantId: tenant.id,
      secretHash: await hashSecret(secret),
      note: body.note || null,
      createdAt: now.toISOString(),
      expiresAt: isoDaysAfter(now, body.expires_in_days),
      usedAt: null,
      revokedAt: null,
    };
    await insertSetupLink(c.get("db"), row);
    const origin = c.get("origin");
    return c.json(
      { id: row.id, url: `${origin}/portal/#setup=${secret}`, expires_at: row.expiresAt, created_at: row.createdAt, note: row.note },
      201,
      secretShownOnce(`${origin}/admin/v1/tenants/${tenant.id}/setup-links/${row.id}`),
    );
  })
  .get("/", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    const now = new Date().toISOString();
    const rows = await listSetupLinks(c.get("db"), tenant.id);
    return c.json({
      links: rows.map((r): SetupLinkJson => ({
        id: r.id,
        created_at: r.createdAt,
        expires_at: r.expiresAt,
        used_at: r.usedAt,
        revoked_at: r.revokedAt,
        status: linkStatus(r, now),
        note: r.note,
      })),
    });
  })
  .delete("/:linkId", async (c) => {
    const tenant = activeTenant(c.var.tenant);
    if (!(await revokeSetupLink(c.get("db"), tenant.id, c.req.param("linkId"), new Date().toISOString()))) {
      throw notFound("setup link not found or already revoked");
    }
    return c.body(null, 204);
  });
