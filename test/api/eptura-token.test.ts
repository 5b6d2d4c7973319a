// POST /api/V1/token, the token provider dialect of Eptura's SCIM guide: the same clients, tokens,
// revocation and limits as /oauth/token, with camelCase fields and answer.
import { describe, expect, it } from "vitest";
import { admin, call, json } from "../support/http";
import { decode } from "../support/forge";
import { inOneRateWindow } from "../support/rate-window";
import { newTenant, type TestTenant } from "../support/tenant";

type EpturaToken = { accessToken: string; tokenType: string; expiresIn: number };

function epturaToken(fields: Record<string, string>, opts: { path?: string; json?: boolean; ip?: string } = {}) {
  const headers: Record<string, string> = {
    "Content-Type": opts.json ? "application/json" : "application/x-www-form-urlencoded",
    ...(opts.ip ? { "CF-Connecting-IP": opts.ip } : {}),
  };
  const rawBody = opts.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  return call(opts.path ?? "/api/V1/token", { method: "POST", rawBody, headers });
}

const credentials = (t: TestTenant) => ({ scimClientId: t.clientId, scimClientSecret: t.clientSecret, grantType: "password" });

async function expectToken(res: Response, expiresIn: number): Promise<EpturaToken> {
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  const body = await json<EpturaToken>(res);
  expect(body).toEqual({ accessToken: expect.any(String), tokenType: "bearer", expiresIn });
  const { claims } = decode(body.accessToken);
  expect(claims.exp! - claims.iat!).toBe(expiresIn);
  return body;
}

async function expectError(res: Response, status: number, error: string, description: RegExp) {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  const body = await json<{ error: string; error_description: string }>(res);
  expect(Object.keys(body).sort()).toEqual(["error", "error_description"]);
  expect(body.error).toBe(error);
  expect(body.error_description).toMatch(description);
}

describe("Eptura token provider dialect", () => {
  it("defaults to 84,600 seconds, answers camelCase, and records the token like /oauth/token does", async () => {
    const t = await newTenant();
    const body = await expectToken(await epturaToken(credentials(t)), 84_600);
    const { claims } = decode(body.accessToken);
    expect(claims).toMatchObject({ iss: "https://scim.test", aud: "https://scim.test/scim/v2", sub: t.clientId, tid: t.id });
    const listed = await json<{ tokens: { jti: string }[] }>(await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`));
    expect(listed.tokens.map((x) => x.jti)).toContain(claims.jti);
  });

  it("a JSON body and the lower-case path are accepted too", async () => {
    const t = await newTenant();
    await expectToken(await epturaToken({ ...credentials(t), tokenExpiry: "600" }, { json: true, path: "/api/v1/token" }), 600);
  });

  it("the 10-year token works on the Eptura Tenant URL /scim/api/V1/users", async () => {
    const t = await newTenant();
    const { accessToken } = await expectToken(await epturaToken({ ...credentials(t), tokenExpiry: "315360000" }), 315_360_000);
    const res = await call("/scim/api/V1/users", { token: accessToken });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await json<{ totalResults: number }>(res)).totalResults).toBe(0);
  });

  it("tokenExpiry 60 is the minimum; out-of-range or non-integer values → 400 invalid_request", async () => {
    const t = await newTenant();
    await expectToken(await epturaToken({ ...credentials(t), tokenExpiry: "60" }), 60);
    for (const tokenExpiry of ["59", "0", "-1", "315360001", "3600.5", "1e4", "abc", " 60"]) {
      await expectError(
        await epturaToken({ ...credentials(t), tokenExpiry }),
        400,
        "invalid_request",
        /tokenExpiry must be an integer between 60 and 315360000/,
      );
    }
  });

  it("grantType must be password; missing fields are named", async () => {
    const t = await newTenant();
    await expectError(await epturaToken({ ...credentials(t), grantType: "client_credentials" }), 400, "unsupported_grant_type", /"password"/);
    await expectError(await epturaToken({ grantType: "password", scimClientId: t.clientId }), 400, "invalid_request", /scimClientSecret is required/);
    await expectError(await epturaToken({}), 400, "invalid_request", /scimClientId, scimClientSecret, grantType are required/);
  });

  it("a wrong secret or an unknown client → 401 invalid_client", async () => {
    const t = await newTenant();
    await expectError(await epturaToken({ ...credentials(t), scimClientSecret: `${t.clientSecret}x` }), 401, "invalid_client", /client authentication failed/);
    await expectError(await epturaToken({ ...credentials(t), scimClientId: "scim_nobody" }), 401, "invalid_client", /client authentication failed/);
  });

  it("a revoked client gets no token, and its Eptura-dialect tokens stop working at once", async () => {
    const t = await newTenant();
    const { accessToken } = await expectToken(await epturaToken(credentials(t)), 84_600);
    expect((await call("/scim/api/V1/users", { token: accessToken })).status).toBe(200);
    expect((await admin(`/tenants/${t.id}/clients/${t.clientId}`, { method: "DELETE" })).status).toBe(204);
    expect((await call("/scim/api/V1/users", { token: accessToken })).status).toBe(401);
    await expectError(await epturaToken(credentials(t)), 401, "invalid_client", /client authentication failed/);
  });

  it("one revoked token stops working on every base path", async () => {
    const t = await newTenant();
    const { accessToken } = await expectToken(await epturaToken(credentials(t)), 84_600);
    const { claims } = decode(accessToken);
    expect((await admin(`/tenants/${t.id}/tokens/${claims.jti}`, { method: "DELETE" })).status).toBe(204);
    for (const base of ["/scim/api/V1", "/scim/v1", "/scim/v2"]) {
      expect((await call(`${base}/Users`, { token: accessToken })).status, base).toBe(401);
    }
  });

  it("shares the per-client failure limit with /oauth/token: guesses on one endpoint count on the other", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      const oauth = (secret: string) =>
        call("/oauth/token", {
          method: "POST",
          rawBody: new URLSearchParams({ grant_type: "client_credentials", client_id: t.clientId, client_secret: secret }).toString(),
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        });
      // 30 failures a minute per client and address; successes (newTenant's) do not count.
      const seen: number[] = [];
      for (let i = 0; i < 15; i++) seen.push((await oauth(`guess-${i}`)).status);
      for (let i = 0; i < 15; i++) seen.push((await epturaToken({ ...credentials(t), scimClientSecret: `guess-${i}` })).status);
      expect(seen).toEqual(Array(30).fill(401));
      const res = await epturaToken({ ...credentials(t), scimClientSecret: "guess-31" });
      await expectError(res, 429, "invalid_request", /too many failed token requests/);
      expect(res.headers.get("Retry-After")).toBe("60");
    });
  });
});
