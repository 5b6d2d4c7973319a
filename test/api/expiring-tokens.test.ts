// Token expiry through the admin API: the deployment-wide list of live tokens that expire soon,
// a tenant's tokens over all its clients, and `expiring_soon` (live, made to last more than a day,
// within 30 days) on listings. Short-lived access tokens renew themselves and are never flagged.
import { describe, expect, it } from "vitest";
import { decode } from "../support/forge";
import { admin, json } from "../support/http";
import { newTenant, type TestTenant } from "../support/tenant";

type Json = Record<string, unknown>;
const DAY_S = 86_400;

async function issue(t: TestTenant, expiresIn: number, clientId = t.clientId): Promise<string> {
  const res = await admin(`/tenants/${t.id}/clients/${clientId}/tokens`, { body: { expires_in: expiresIn } });
  expect(res.status).toBe(201);
  return String((await json(res)).jti);
}

const expiring = async (tenantId: string, query = "") => {
  const res = await admin(`/tokens/expiring${query}`);
  expect(res.status).toBe(200);
  const body = await json<{ within_days: number; tokens: Json[] }>(res);
  return { within: body.within_days, mine: body.tokens.filter((x) => x.tenant_id === tenantId) };
};

/** A tenant with tokens of 1 hour, 2 days, 10 days, 40 days and 10 years, and a revoked 5-day one. */
async function tenantWithTokens() {
  const t = await newTenant();
  const jti = { hour: await issue(t, 3600), twoDays: await issue(t, 2 * DAY_S), tenDays: await issue(t, 10 * DAY_S), fortyDays: await issue(t, 40 * DAY_S), tenYears: await issue(t, 3650 * DAY_S), revoked: await issue(t, 5 * DAY_S) };
  expect((await admin(`/tenants/${t.id}/tokens/${jti.revoked}`, { method: "DELETE" })).status).toBe(204);
  return { t, jti };
}

describe("GET /admin/v1/tokens/expiring", () => {
  it("lists live tokens expiring within 30 days by default, soonest first, with days left", async () => {
    const { t, jti } = await tenantWithTokens();
    const { within, mine } = await expiring(t.id);
    expect(within).toBe(30);
    // The 2-day token, then the 10-day one. The one-hour tokens (newTenant's own and ours) renew
    // themselves: an OAuth client gets a new one every hour, so they are not listed.
    expect(mine.map((x) => x.jti)).toEqual([jti.twoDays, jti.tenDays]);
    expect(mine.map((x) => x.jti)).not.toContain(String(decode(t.token).claims.jti));
    expect(mine.at(-1)).toEqual({ tenant_id: t.id, tenant_name: expect.any(String), client_id: t.clientId, jti: jti.tenDays, issued_at: expect.any(String), expires_at: expect.any(String), days_left: 9 });
    expect(mine[0]!.days_left).toBe(1);
    const times = mine.map((x) => String(x.expires_at));
    expect(times).toEqual([...times].sort());
  });

  it("within_days widens or narrows the window", async () => {
    const { t, jti } = await tenantWithTokens();
    expect((await expiring(t.id, "?within_days=60")).mine.map((x) => x.jti)).toContain(jti.fortyDays);
    const oneDay = await expiring(t.id, "?within_days=1");
    expect(oneDay.within).toBe(1);
    expect(oneDay.mine.map((x) => x.jti)).not.toContain(jti.tenDays);
    expect(oneDay.mine.map((x) => x.jti)).not.toContain(jti.twoDays);
    expect(oneDay.mine.map((x) => x.jti)).not.toContain(jti.hour);
    expect((await expiring(t.id, "?within_days=3")).mine.map((x) => x.jti)).toEqual([jti.twoDays]);
  });

  it("leaves out the tokens of a revoked client and of an offboarded tenant", async () => {
    const a = await tenantWithTokens();
    expect((await admin(`/tenants/${a.t.id}/clients/${a.t.clientId}`, { method: "DELETE" })).status).toBe(204);
    expect((await expiring(a.t.id)).mine).toEqual([]);
    const b = await tenantWithTokens();
    expect((await admin(`/tenants/${b.t.id}`, { method: "DELETE" })).status).toBe(202);
    expect((await expiring(b.t.id)).mine).toEqual([]);
  });

  it("rejects a bad within_days with 400", async () => {
    for (const q of ["0", "3651", "abc", "1.5", "-3"]) {
      const res = await admin(`/tokens/expiring?within_days=${q}`);
      expect(res.status, q).toBe(400);
      expect(await json(res)).toEqual({ error: { status: 400, message: expect.stringMatching(/within_days/) } });
    }
  });
});

describe("token listings carry expiring_soon", () => {
  it("GET /tenants/:id/tokens lists every client's tokens with the flag; the per-client listing too", async () => {
    const { t, jti } = await tenantWithTokens();
    const other = await json<{ client_id: string }>(await admin(`/tenants/${t.id}/clients`, { body: { name: "second" } }));
    const otherJti = await issue(t, 20 * DAY_S, other.client_id);
    const { tokens } = await json<{ tokens: Json[] }>(await admin(`/tenants/${t.id}/tokens`));
    const flag = Object.fromEntries(tokens.map((x) => [x.jti, x.expiring_soon]));
    expect(flag).toMatchObject({ [jti.hour]: false, [jti.twoDays]: true, [jti.tenDays]: true, [jti.fortyDays]: false, [jti.tenYears]: false, [jti.revoked]: false, [otherJti]: true });
    expect(tokens).toHaveLength(8);
    expect(tokens.find((x) => x.jti === otherJti)).toEqual({
      jti: otherJti, client_id: other.client_id, issued_at: expect.any(String), expires_at: expect.any(String), revoked_at: null, expiring_soon: true,
      created_by: "operator", ends_with_creator: false,
    });
    const perClient = await json<{ tokens: Json[] }>(await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`));
    expect(perClient.tokens.find((x) => x.jti === jti.fortyDays)!.expiring_soon).toBe(false);
    expect(perClient.tokens.find((x) => x.jti === jti.tenDays)!.expiring_soon).toBe(true);
    expect(perClient.tokens.map((x) => x.jti)).not.toContain(otherJti);
  });

  it("404 for another tenant's id or an unknown one", async () => {
    const res = await admin(`/tenants/${crypto.randomUUID()}/tokens`);
    expect(res.status).toBe(404);
  });
});
