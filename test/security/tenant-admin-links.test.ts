// Setup links as credentials: single use under a race, and one indistinguishable 401 for a link
// that is garbage, unknown, used, expired, revoked or of an offboarded tenant.
import { describe, expect, it } from "vitest";
import { hashSecret } from "../../src/access/client-secret";
import { insertSetupLink } from "../../src/access/storage/setup-links";
import { portalSessions } from "../../src/platform/schema/tables";
import { admin, call, json } from "../support/http";
import { newApiToken, newSetupLink, portalSessionFor, signIn, signInCall, withApiToken, withSession } from "../support/portal";
import { freshIp, inOneRateWindow } from "../support/rate-window";
import { newTenant } from "../support/tenant";
import { tenantD1, tenantDb } from "../support/shard";

const BAD_LINK = {
  schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
  status: "401",
  detail: "this setup link is invalid, used, expired or revoked",
};

async function expectBadLink(secret: unknown) {
  const res = await signInCall(secret);
  expect(res.status, String(secret)).toBe(401);
  expect(await json(res)).toEqual(BAD_LINK);
  expect(res.headers.get("Set-Cookie")).toBeNull();
}

/** A link written through the storage layer with a chosen expiry (no clock to wait for). */
async function storedLink(tenantId: string, expiresAt: string) {
  const secret = `scimsl_${tenantId}.${crypto.randomUUID()}`;
  await insertSetupLink(await tenantDb(tenantId), {
    id: crypto.randomUUID(),
    tenantId,
    secretHash: await hashSecret(secret),
    note: null,
    createdAt: new Date(Date.parse(expiresAt) - 86_400_000).toISOString(),
    expiresAt,
    usedAt: null,
    revokedAt: null,
  });
  return secret;
}

describe("setup links", () => {
  it("garbage, unknown, used, expired and revoked links all get the same 401", async () => {
    const t = await newTenant();
    for (const garbage of ["x", "scimsl_", `scimsl_${"A".repeat(43)}`, "' OR 1=1 --", "%00"]) await expectBadLink(garbage);

    const used = await newSetupLink(t.id);
    await signIn(used.secret);
    await expectBadLink(used.secret);

    await expectBadLink(await storedLink(t.id, new Date(Date.now() - 1000).toISOString()));

    const revoked = await newSetupLink(t.id);
    expect((await admin(`/tenants/${t.id}/setup-links/${revoked.id}`, { method: "DELETE" })).status).toBe(204);
    await expectBadLink(revoked.secret);
  });

  it("a link stored with a future expiry still signs in (the expiry check is the only difference)", async () => {
    const t = await newTenant();
    const res = await signInCall(await storedLink(t.id, new Date(Date.now() + 86_400_000).toISOString()));
    expect(res.status).toBe(201);
  });

  it("malformed sign-in bodies are 400 SCIM errors, not 401 or 500", async () => {
    for (const rawBody of ["{}", "[]", "null", '{"link": 5}', '{"link": ""}', "not json", JSON.stringify({ link: "x".repeat(201) })]) {
      const res = await call("/portal/v1/session", { method: "POST", rawBody, headers: { "Content-Type": "application/json" } });
      expect(res.status, rawBody).toBe(400);
      expect(await json(res)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400" });
    }
  });

  it("a sign-in posted from another origin is refused, and the link stays unused", async () => {
    const t = await newTenant();
    const link = await newSetupLink(t.id);
    const res = await call("/portal/v1/session", { method: "POST", body: { link: link.secret }, headers: { Origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    const crossSite = await call("/portal/v1/session", { method: "POST", body: { link: link.secret }, headers: { "Sec-Fetch-Site": "cross-site" } });
    expect(crossSite.status).toBe(403);
    const same = await call("/portal/v1/session", { method: "POST", body: { link: link.secret }, headers: { Origin: "https://scim.test" } });
    expect(same.status).toBe(201);
  });

  it("one IP spraying link guesses is cut off after 120 sign-ins a minute, even with a good link; other IPs are not", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      const ip = freshIp();
      const guess = (secret: string, from: string) =>
        call("/portal/v1/session", { method: "POST", body: { link: secret }, headers: { "CF-Connecting-IP": from } });
      const seen = await Promise.all(Array.from({ length: 120 }, (_, i) => guess(`scimsl_guess${i}`, ip).then((r) => r.status)));
      expect(new Set(seen)).toEqual(new Set([401]));
      const link = await newSetupLink(t.id);
      const limited = await guess(link.secret, ip);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("Retry-After")).toBe("60");
      expect((await guess(link.secret, freshIp())).status).toBe(201);
    });
  });

  it("eight concurrent sign-ins with one link open exactly one session", async () => {
    const t = await newTenant();
    const link = await newSetupLink(t.id);
    const results = await Promise.all(Array.from({ length: 8 }, () => signInCall(link.secret)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 401, 401, 401, 401, 401, 401, 401]);
    const sessions = await (await tenantD1(t.id)).prepare("SELECT count(*) AS n FROM portal_sessions WHERE link_id = ?").bind(link.id).first<{ n: number }>();
    expect(sessions!.n).toBe(1);
  });

  it("an expired session is 401 (a session row stored already expired)", async () => {
    const t = await newTenant();
    const token = `scimps_${t.id}.${crypto.randomUUID()}`;
    const link = await newSetupLink(t.id);
    await (await tenantDb(t.id)).insert(portalSessions).values({
      id: crypto.randomUUID(),
      tenantId: t.id,
      linkId: link.id,
      tokenHash: await hashSecret(token),
      createdAt: new Date(Date.now() - 13 * 3600_000).toISOString(),
      expiresAt: new Date(Date.now() - 3600_000).toISOString(),
      revokedAt: null,
    });
    expect((await call("/portal/v1/session", { headers: { Cookie: `__Host-scim_portal=${token}` } })).status).toBe(401);
    expect((await call(`/admin/v1/tenants/${t.id}/clients`, { headers: { Cookie: `__Host-scim_portal=${token}` } })).status).toBe(401);
  });

  it("offboarding a tenant ends its links, sessions and API tokens at once", async () => {
    const t = await newTenant();
    const link = await newSetupLink(t.id);
    const s = await portalSessionFor(t.id);
    const { token } = await newApiToken(s);
    expect((await admin(`/tenants/${t.id}`, { method: "DELETE" })).status).toBe(202);
    await expectBadLink(link.secret);
    expect((await withSession(s, "/portal/v1/session")).status).toBe(401);
    expect((await withSession(s, `/admin/v1/tenants/${t.id}/clients`)).status).toBe(401);
    expect((await withApiToken(token, `/admin/v1/tenants/${t.id}/clients`)).status).toBe(401);
  });
});
