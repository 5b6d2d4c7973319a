// Issue 23, finding 6: made-up tenant credentials (`Bearer scimta_…`, a `scimps_…` portal cookie)
// on /admin/v1 and /portal/v1 are limited per source address: past 30 failures a minute the
// address is refused with 429 + Retry-After before any lookup (its own good credential included),
// while other addresses go on. Through the real fetch handler with CF-Connecting-IP.
import { describe, expect, it } from "vitest";
import { call, json } from "../support/http";
import { newApiToken, portalSessionFor } from "../support/portal";
import { freshIp, inOneRateWindow } from "../support/rate-window";
import { newTenant } from "../support/tenant";

const random43 = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fakeApiToken = (tenantId: string) => `scimta_${tenantId}.${random43()}`;
const fakeCookie = (tenantId: string) => `__Host-scim_portal=scimps_${tenantId}.${random43()}`;

async function statuses(n: number, send: () => Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send()).status);
  return out;
}

describe("made-up tenant credentials are limited per address", () => {
  it("Bearer scimta_… on /admin/v1: 30 failures, then 429 for that address (a real token too), not for others", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      const { token } = await newApiToken(await portalSessionFor(t.id));
      const ip = freshIp();
      const path = `/admin/v1/tenants/${t.id}/clients`;
      const fake = () => call(path, { token: fakeApiToken(t.id), headers: { "CF-Connecting-IP": ip } });
      expect(await statuses(30, fake)).toEqual(Array(30).fill(401));
      const refused = await fake();
      expect(refused.status).toBe(429);
      expect(refused.headers.get("Retry-After")).toMatch(/^[1-9][0-9]*$/);
      expect(await json(refused)).toEqual({ error: { status: 429, message: expect.stringMatching(/too many failed credentials/) } });
      expect((await call(path, { token, headers: { "CF-Connecting-IP": ip } })).status).toBe(429);
      expect((await call(path, { token, headers: { "CF-Connecting-IP": freshIp() } })).status).toBe(200);
    });
  });

  it("a scimps_… cookie on /portal/v1 and /admin/v1 counts the same way", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      const ip = freshIp();
      const portal = () => call("/portal/v1/session", { headers: { Cookie: fakeCookie(t.id), "CF-Connecting-IP": ip } });
      const adminCall = () => call(`/admin/v1/tenants/${t.id}/clients`, { headers: { Cookie: fakeCookie(t.id), "CF-Connecting-IP": ip } });
      expect([...(await statuses(15, portal)), ...(await statuses(15, adminCall))]).toEqual(Array(30).fill(401));
      expect((await portal()).status).toBe(429);
      expect((await adminCall()).status).toBe(429);
      expect((await call("/portal/v1/session", { headers: { Cookie: fakeCookie(t.id), "CF-Connecting-IP": freshIp() } })).status).toBe(401);
    });
  });
});
