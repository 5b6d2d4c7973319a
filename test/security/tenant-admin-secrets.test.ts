// The whole tenant-admin flow, then a scan: no link secret, session cookie, CSRF token, tenant API
// token, client secret or access token appears in the audit log or in any log line. The audit
// rows name who acted by credential id.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, call, json } from "../support/http";
import { newApiToken, newSetupLink, signIn, withApiToken, withSession } from "../support/portal";
import { newTenant } from "../support/tenant";
import { waitFor } from "../support/wait";

type Json = Record<string, unknown>;

/** Every line written to the console while `run` runs (the Worker logs through console.*). */
async function captureLogs(run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  for (const level of ["log", "info", "warn", "error", "debug"] as const) vi.spyOn(console, level).mockImplementation(keep);
  await run();
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe("tenant-admin secrets", () => {
  it("never reach the audit log or the logs; the audit names the actor", async () => {
    const t = await newTenant();
    const secrets: Record<string, string> = { firstClientSecret: t.clientSecret };
    let apiTokenId = "";
    const lines = await captureLogs(async () => {
      const link = await newSetupLink(t.id, { note: "for Contoso IT" });
      secrets.link = link.secret;
      const s = await signIn(link.secret);
      secrets.cookie = s.cookie.split("=")[1]!;
      secrets.csrf = s.csrf;
      const api = await newApiToken(s);
      secrets.apiToken = api.token;
      apiTokenId = api.id;
      const client = await json<{ client_id: string; client_secret: string }>(
        await withSession(s, `/admin/v1/tenants/${t.id}/clients`, { method: "POST", body: { name: "entra" } }),
      );
      secrets.clientSecret = client.client_secret;
      const rotated = await json<Json>(await withApiToken(api.token, `/admin/v1/tenants/${t.id}/clients/${client.client_id}/rotate`, { method: "POST" }));
      secrets.rotatedSecret = String(rotated.client_secret);
      const issued = await json<Json>(
        await withSession(s, `/admin/v1/tenants/${t.id}/clients/${client.client_id}/tokens`, { method: "POST", body: { expires_in: 315360000 } }),
      );
      secrets.accessToken = String(issued.access_token);
      expect((await call("/scim/v2/Users", { method: "POST", token: secrets.accessToken, body: { userName: `u-${t.id}@example.com` } })).status).toBe(201);
      // Refused attempts, which carry secrets in their requests too.
      expect((await withSession(s, `/admin/v1/tenants/${t.id}/device-hub`, { method: "PUT", body: { apiKey: "x" } })).status).toBe(403);
      expect((await withSession(s, `/admin/v1/tenants/${t.id}/clients`, { method: "POST", csrf: "csrf_wrong", body: { name: "x" } })).status).toBe(403);
      expect((await call("/portal/v1/session", { method: "POST", body: { link: link.secret } })).status).toBe(401);
      expect((await withApiToken(`${api.token}x`, `/admin/v1/tenants/${t.id}/clients`)).status).toBe(401);
      expect((await withSession(s, "/portal/v1/session", { method: "DELETE" })).status).toBe(204);
    });

    // The capture works: the access log lines of this flow are in it, with the actor.
    expect(lines.some((l) => l.includes('"route":"/portal/v1/session"'))).toBe(true);
    expect(lines.some((l) => l.includes(`"actor":"api-token:${apiTokenId}"`))).toBe(true);

    // Audit rows are written after the response (waitUntil): wait for all 11 audited writes
    // (2 of newTenant, 9 of the flow; the refused CSRF and sign-in attempts are not actions).
    const auditRows = () => env.DB.prepare("SELECT * FROM audit_log WHERE tenant_id = ? ORDER BY seq").bind(t.id).all<Json>();
    await waitFor(async () => (await auditRows()).results.length >= 11);
    const { results } = await env.DB.prepare("SELECT * FROM audit_log WHERE tenant_id = ? ORDER BY seq").bind(t.id).all<Json>();
    const audit = JSON.stringify(results);
    const auditApi = JSON.stringify(await json(await admin(`/tenants/${t.id}/audit`)));
    expect(Object.keys(secrets)).toHaveLength(8);
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, name).toBeGreaterThan(20);
      expect(audit.includes(value), `${name} in the audit log`).toBe(false);
      expect(auditApi.includes(value), `${name} in the audit API`).toBe(false);
      expect(lines.filter((l) => l.includes(value)), `${name} in the logs`).toEqual([]);
    }

    const actors = results.map((r) => [r.client_id, r.method, r.resource_type, r.status, r.actor]);
    const session = /^portal-session:[0-9a-f-]{36}$/;
    expect(actors).toEqual(
      expect.arrayContaining([
        ["admin", "POST", "setup-links", 201, "operator"],
        ["portal", "POST", "session", 201, expect.stringMatching(session)],
        ["portal", "POST", "api-tokens", 201, expect.stringMatching(session)],
        ["tenant-admin", "POST", "clients", 201, expect.stringMatching(session)],
        ["tenant-admin", "POST", "clients", 200, `api-token:${apiTokenId}`],
        ["tenant-admin", "PUT", "device-hub", 403, expect.stringMatching(session)],
        ["portal", "DELETE", "session", 204, expect.stringMatching(session)],
      ]),
    );
    // The refused CSRF attempt is not an action of the session (it was not authenticated as one).
    expect(results.filter((r) => r.status === 403 && r.resource_type === "clients")).toEqual([]);
  });
});
