// Rate limits: per-tenant tiers on /scim/v2 with 429 + Retry-After + a SCIM error body; other
// tenants unaffected; the token endpoint limited per IP and its failures per client_id; tenant admins limited
// per tenant on /admin/v1. The "restricted" tier is 5 requests/minute per tenant and 3 per client
// in test/vitest.config.ts, and tenant admins get 300 a minute per tenant there (600 in wrangler.toml).
// Every scenario that spends a budget runs in one limiter window (test/support/rate-window.ts).
import { describe, expect, it } from "vitest";
import { admin, call, json } from "../support/http";
import { newApiToken, portalSessionFor, withApiToken, withSession } from "../support/portal";
import { freshIp, inOneRateWindow } from "../support/rate-window";
import { newTenant, requestToken } from "../support/tenant";

const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

async function setTier(tenantId: string, tier: string) {
  const res = await admin(`/tenants/${tenantId}/rate-limit`, { method: "PUT", body: { tier } });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function statuses(token: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call("/scim/v2/Users?count=1", { token })).status);
  return out;
}

describe("SCIM rate limits per tenant", () => {
  it("a client over its share, then the tenant over its tier, get 429 with Retry-After and the SCIM error body", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      await setTier(t.id, "restricted");
      expect(await statuses(t.token, 3)).toEqual([200, 200, 200]);
      const res = await call("/scim/v2/Users", { token: t.token });
      expect(res.status).toBe(429);
      expect(res.headers.get("Retry-After")).toMatch(/^[1-9][0-9]*$/);
      expect(res.headers.get("Content-Type")).toMatch(/^application\/scim\+json/);
      const body = await json(res);
      expect(body).toMatchObject({ schemas: [SCIM_ERROR], status: "429" });
      expect(body.detail).toContain("too many requests for this client");
      expect(body.scimType).toBeUndefined();
      // A second client of the same tenant still has room, until the tenant's tier (5) is used up.
      const second = await json<{ client_id: string; client_secret: string }>(
        await admin(`/tenants/${t.id}/clients`, { body: { name: "script" } }),
      );
      const token2 = await requestToken(second.client_id, second.client_secret);
      expect(await statuses(token2, 2)).toEqual([200, 200]);
      const tenantOver = await call("/scim/v2/Users", { token: token2 });
      expect(tenantOver.status).toBe(429);
      expect((await json(tenantOver)).detail).toContain("too many requests for this tenant");
      // Writes are limited too, and nothing is written.
      const post = await call("/scim/v2/Users", { token: t.token, body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "x@example.com" } });
      expect(post.status).toBe(429);
    });
  });

  it("other tenants are unaffected while one tenant is limited", async () => {
    await inOneRateWindow(async () => {
      const limited = await newTenant();
      const other = await newTenant();
      await setTier(limited.id, "restricted");
      await setTier(other.id, "restricted");
      await statuses(limited.token, 6);
      expect((await call("/scim/v2/Users", { token: limited.token })).status).toBe(429);
      expect(await statuses(other.token, 3)).toEqual([200, 200, 200]);
    });
  });

  it("the default tier (standard) does not trip on a burst of 60 requests", async () => {
    const t = await newTenant();
    expect((await json(await admin(`/tenants/${t.id}/rate-limit`))).tier).toBe("standard");
    const seen = await Promise.all(Array.from({ length: 60 }, () => call("/scim/v2/Users?count=1", { token: t.token }).then((r) => r.status)));
    expect(new Set(seen)).toEqual(new Set([200]));
  });

  it("moving a tenant to a larger tier lifts the limit at once", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      await setTier(t.id, "restricted");
      await statuses(t.token, 6);
      expect((await call("/scim/v2/Users", { token: t.token })).status).toBe(429);
      await setTier(t.id, "unlimited");
      expect(await statuses(t.token, 10)).toEqual(Array(10).fill(200));
    });
  });

  it("the admin API rejects unknown tiers and unknown tenants", async () => {
    const t = await newTenant();
    const bad = await admin(`/tenants/${t.id}/rate-limit`, { method: "PUT", body: { tier: "ludicrous" } });
    expect(bad.status).toBe(400);
    expect(((await json(bad)).error as { message: string }).message).toContain("tier must be one of");
    const missing = await admin(`/tenants/${crypto.randomUUID()}/rate-limit`, { method: "PUT", body: { tier: "high" } });
    expect(missing.status).toBe(404);
    const noAuth = await call(`/admin/v1/tenants/${t.id}/rate-limit`, { method: "PUT", token: t.token, body: { tier: "unlimited" } });
    expect(noAuth.status).toBe(401);
  });
});

describe("token endpoint rate limits", () => {
  const tokenRequest = (clientId: string, secret: string, ip?: string) =>
    call("/oauth/token", {
      method: "POST",
      rawBody: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...(ip ? { "CF-Connecting-IP": ip } : {}) },
    });

  it("guessing one client's secret from one address is cut off after 30 failures a minute; successes do not count", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      // Successful requests spend nothing of the failure budget.
      for (let i = 0; i < 5; i++) expect((await tokenRequest(t.clientId, t.clientSecret)).status).toBe(200);
      const seen: number[] = [];
      for (let i = 0; i < 30; i++) seen.push((await tokenRequest(t.clientId, `guess-${i}`)).status);
      expect(new Set(seen)).toEqual(new Set([401]));
      const res = await tokenRequest(t.clientId, "guess-31");
      expect(res.status).toBe(429);
      expect(res.headers.get("Retry-After")).toMatch(/^[1-9][0-9]*$/);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(await json(res)).toMatchObject({ error: "invalid_request" });
      // Another client is not affected (test/security/token-limits.test.ts: nor another address).
      const other = await newTenant();
      expect((await tokenRequest(other.clientId, other.clientSecret)).status).toBe(200);
    });
  });

  it("one IP spraying many client ids is cut off after 120 tries a minute; other IPs are not", async () => {
    await inOneRateWindow(async () => {
      const ip = freshIp();
      const seen = await Promise.all(
        Array.from({ length: 120 }, (_, i) => tokenRequest(`nobody-${crypto.randomUUID()}-${i}`, "x", ip).then((r) => r.status)),
      );
      expect(new Set(seen)).toEqual(new Set([401]));
      const t = await newTenant();
      expect((await tokenRequest(t.clientId, t.clientSecret, ip)).status).toBe(429);
      expect((await tokenRequest(t.clientId, t.clientSecret, freshIp())).status).toBe(200);
    });
  });
});

describe("tenant admins on /admin/v1, per tenant", () => {
  it("a tenant's admin calls over its limit get 429 with Retry-After, for every credential of that tenant only; the operator is not limited", async () => {
    await inOneRateWindow(async () => {
      const a = await newTenant();
      const b = await newTenant();
      const session = await portalSessionFor(a.id);
      const { token } = await newApiToken(session);
      const path = `/admin/v1/tenants/${a.id}/clients`;
      // 300 a minute; the setup above went through /portal/v1, which this budget does not count.
      let ok = 0;
      let refused: Response | undefined;
      while (!refused && ok < 650) {
        const wave = await Promise.all(Array.from({ length: 25 }, () => withApiToken(token, path)));
        for (const res of wave) {
          if (res.status === 200) ok++;
          else if (!refused) refused = res;
        }
      }
      expect(ok).toBe(300);
      expect(refused?.status).toBe(429);
      expect(refused!.headers.get("Retry-After")).toMatch(/^[1-9][0-9]*$/);
      expect(await json(refused!)).toEqual({ error: { status: 429, message: "too many admin requests for this tenant; retry after 60 seconds" } });
      // The budget is the tenant's: its portal session is refused too, writes included, and nothing is written.
      expect((await withSession(session, path)).status).toBe(429);
      expect((await withSession(session, path, { method: "POST", body: { name: "over the limit" } })).status).toBe(429);
      const clients = await json<{ clients: { name: string }[] }>(await admin(`/tenants/${a.id}/clients`));
      expect(clients.clients.map((c) => c.name)).not.toContain("over the limit");
      // The operator on the same tenant, and another tenant's admin, go on.
      expect((await admin(`/tenants/${a.id}/clients`)).status).toBe(200);
      const other = await portalSessionFor(b.id);
      expect((await withSession(other, `/admin/v1/tenants/${b.id}/clients`)).status).toBe(200);
    });
  });
});
