// Admin: GET /admin/v1/tenants/{id}/export[?cursor=…] — a tenant's directory as NDJSON, one
// {"type":"user"|"group"|"membership",…} object per line, ≤ EXPORT_PAGE rows per response.
// While more remains, `Link: <…?cursor=…>; rel="next"` and `X-Next-Cursor` say where to go on.
import { Hono } from "hono";
import { z } from "zod";
import { ScimError } from "../../scim/errors";
import { groupResource } from "../../scim/port";
import { userResource } from "../../scim/port";
import { EXPORT_PHASES, exportPage, type ExportPosition, type ExportRow } from "../storage/export";
import { activeTenant } from "./admin-tenant";
import { scimBaseUrl, type AdminTenantEnv } from "../../http/context";

/** Rows per response: a few MB of JSON at most, three indexed D1 reads. */
export const EXPORT_PAGE = 1000;

const Position = z.object({
  phase: z.enum(EXPORT_PHASES as [string, ...string[]]),
  key: z.array(z.string().max(1024)).min(1).max(2).nullable(),
});

const encodeCursor = (p: ExportPosition) => btoa(JSON.stringify(p)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function decodeCursor(cursor: string): ExportPosition {
  try {
    const json = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
    const parsed = Position.safeParse(json);
    if (parsed.success) return parsed.data as ExportPosition;
  } catch {
    // fall through to the error below
  }
  throw new ScimError(400, "cursor is not a cursor this endpoint returned");
}

function line(row: ExportRow, baseUrl: string): string {
  if (row.kind === "membership") {
    return JSON.stringify({ type: "membership", groupId: row.groupId, memberId: row.memberId, memberType: row.memberType });
  }
  const doc = row.kind === "user" ? userResource(row.resource, undefined, baseUrl) : groupResource(row.resource, undefined, baseUrl);
  return JSON.stringify({ type: row.kind, ...doc });
}

export const exportRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const cursor = c.req.query("cursor");
    const from: ExportPosition = cursor ? decodeCursor(cursor) : { phase: "users", key: null };
    const page = await exportPage(db, tenant.id, from, EXPORT_PAGE);
    const baseUrl = scimBaseUrl(c.get("origin"));
    const body = page.rows.map((r) => `${line(r, baseUrl)}\n`).join("");
    const headers: Record<string, string> = { "Content-Type": "application/x-ndjson", "Cache-Control": "no-store" };
    if (page.next) {
      const next = encodeCursor(page.next);
      headers["X-Next-Cursor"] = next;
      headers["Link"] = `<${c.get("origin")}/admin/v1/tenants/${tenant.id}/export?cursor=${next}>; rel="next"`;
    }
    return c.body(body, 200, headers);
  });
