// POST /oauth/token: OAuth 2.0 client credentials (RFC 6749 §4.4) as Entra's "OAuth2 Client
// Credentials Grant" uses it: Basic and body client auth, RFC 6749 §5.1/§5.2 JSON.
import { describe, expect, it } from "vitest";
import { admin, call, json } from "../support/http";
import { decode } from "../support/forge";
import { newTenant } from "../support/tenant";

type TokenBody = { access_token: string; token_type: string; expires_in: number; scope: string };
type OAuthErrorBody = { error: string; error_description: string };

const basic = (id: string, secret: string) =>
  `Basic ${btoa(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)}`;

function tokenRequest(opts: { form?: Record<string, string>; json?: unknown; authorization?: string; rawBody?: string; contentType?: string }) {
  const headers: Record<string, string> = {};
  if (opts.authorization) headers["Authorization"] = opts.authorization;
  let rawBody = opts.rawBody;
  if (opts.form) {
    rawBody = new URLSearchParams(opts.form).toString();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  }
  if (opts.json !== undefined) {
    rawBody = JSON.stringify(opts.json);
    headers["Content-Type"] = "application/json";
  }
  if (opts.contentType) headers["Content-Type"] = opts.contentType;
  return call("/oauth/token", { method: "POST", rawBody: rawBody ?? "", headers });
}

async function expectGranted(res: Response, expiresIn = 3600): Promise<TokenBody> {
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  expect(res.headers.get("Pragma")).toBe("no-cache");
  const body = await json<TokenBody>(res);
  expect(body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: expiresIn, scope: "scim" });
  const { claims } = decode(body.access_token);
  expect(claims.exp! - claims.iat!).toBe(expiresIn);
  return body;
}

async function expectOAuthError(res: Response, status: number, error: string, description?: RegExp) {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  const body = await json<OAuthErrorBody>(res);
  expect(Object.keys(body).sort()).toEqual(["error", "error_description"]);
  expect(body.error).toBe(error);
  if (description) expect(body.error_description).toMatch(description);
  if (status === 401) expect(res.headers.get("WWW-Authenticate")).toMatch(/^Basic realm=/);
  else expect(res.headers.get("WWW-Authenticate")).toBeNull();
}

const grant = { grant_type: "client_credentials" };

describe("client authentication methods", () => {
  it("client_secret_basic; the token works on SCIM routes", async () => {
    const t = await newTenant();
    const body = await expectGranted(await tokenRequest({ form: grant, authorization: basic(t.clientId, t.clientSecret) }));
    expect((await call("/scim/v2/ServiceProviderConfig", { token: body.access_token })).status).toBe(200);
  });

  it("client_secret_post (form body)", async () => {
    const t = await newTenant();
    const body = await expectGranted(
      await tokenRequest({ form: { ...grant, client_id: t.clientId, client_secret: t.clientSecret } }),
    );
    expect((await call("/scim/v2/ServiceProviderConfig", { token: body.access_token })).status).toBe(200);
  });

  it("a JSON body is accepted too", async () => {
    const t = await newTenant();
    await expectGranted(await tokenRequest({ json: { ...grant, client_id: t.clientId, client_secret: t.clientSecret } }));
  });

  it("claims: iss, aud = SCIM base URL, sub = client_id, tid, jti, scope; EdDSA with the active kid", async () => {
    const t = await newTenant();
    const body = await expectGranted(await tokenRequest({ form: grant, authorization: basic(t.clientId, t.clientSecret) }));
    const { header, claims } = decode(body.access_token);
    expect(header).toEqual({ alg: "EdDSA", kid: "test-active", typ: "at+jwt" });
    expect(claims).toMatchObject({ iss: "https://scim.test", aud: "https://scim.test/scim/v2", sub: t.clientId, tid: t.id, scope: "scim" });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    // Every issued token is recorded, so it can be listed and revoked on its own.
    const listed = await json<{ tokens: { jti: string }[] }>(await admin(`/tenants/${t.id}/clients/${t.clientId}/tokens`));
    expect(listed.tokens.map((x) => x.jti)).toContain(claims.jti);
  });

  it("both methods at once → 400 invalid_request", async () => {
    const t = await newTenant();
    const res = await tokenRequest({
      form: { ...grant, client_id: t.clientId, client_secret: t.clientSecret },
      authorization: basic(t.clientId, t.clientSecret),
    });
    await expectOAuthError(res, 400, "invalid_request", /one client authentication method/);
  });
});

describe("expires_in", () => {
  it.each([
    [21600, "Entra's upper bound for OAuth tokens (6 h)"],
    [60, "the minimum"],
    [315360000, "ten years"],
  ])("expires_in=%i (%s) is honoured", async (seconds) => {
    const t = await newTenant();
    const form = { ...grant, client_id: t.clientId, client_secret: t.clientSecret, expires_in: String(seconds) };
    await expectGranted(await tokenRequest({ form }), seconds);
  });

  it("expires_in as a JSON number", async () => {
    const t = await newTenant();
    await expectGranted(await tokenRequest({ json: { ...grant, client_id: t.clientId, client_secret: t.clientSecret, expires_in: 7200 } }), 7200);
  });

  it.each(["315360001", "0", "-5", "59", "3600.5", "abc", "1e4", "0x100", " 3600"])(
    "expires_in=%j → 400 invalid_request",
    async (value) => {
      const t = await newTenant();
      const form = { ...grant, client_id: t.clientId, client_secret: t.clientSecret, expires_in: value };
      await expectOAuthError(await tokenRequest({ form }), 400, "invalid_request", /expires_in must be an integer between 60 and 315360000/);
    },
  );
});

describe("failures in RFC 6749 §5.2 shape", () => {
  it("wrong secret, unknown client, no credentials → 401 invalid_client with WWW-Authenticate", async () => {
    const t = await newTenant();
    const cases = [
      { form: grant, authorization: basic(t.clientId, `${t.clientSecret}x`) },
      { form: { ...grant, client_id: t.clientId, client_secret: "wrong" } },
      { form: { ...grant, client_id: "scim_nobody", client_secret: t.clientSecret } },
      { form: grant, authorization: basic("scim_nobody", t.clientSecret) },
      { form: grant },
      { form: { ...grant, client_id: t.clientId } },
    ];
    for (const c of cases) await expectOAuthError(await tokenRequest(c), 401, "invalid_client", /client authentication failed/);
  });

  it("malformed Basic credentials (no colon, bad %-escape) → 401 invalid_client, never 500", async () => {
    for (const authorization of [`Basic ${btoa("no-colon")}`, `Basic ${btoa("scim_x:%E0%A4%A")}`, "Basic ====="]) {
      await expectOAuthError(await tokenRequest({ form: grant, authorization }), 401, "invalid_client", /malformed Basic credentials/);
    }
  });

  it("missing grant_type → 400 invalid_request; another grant → 400 unsupported_grant_type", async () => {
    const t = await newTenant();
    const creds = { client_id: t.clientId, client_secret: t.clientSecret };
    await expectOAuthError(await tokenRequest({ form: creds }), 400, "invalid_request", /grant_type is required/);
    for (const grant_type of ["password", "authorization_code", "refresh_token", "Client_Credentials"]) {
      await expectOAuthError(await tokenRequest({ form: { ...creds, grant_type } }), 400, "unsupported_grant_type");
    }
  });

  it("scope: \"scim\" is granted, anything else → 400 invalid_scope", async () => {
    const t = await newTenant();
    const creds = { ...grant, client_id: t.clientId, client_secret: t.clientSecret };
    await expectGranted(await tokenRequest({ form: { ...creds, scope: "scim" } }));
    for (const scope of ["admin", "scim admin", "openid"]) {
      await expectOAuthError(await tokenRequest({ form: { ...creds, scope } }), 400, "invalid_scope", /"scim"/);
    }
  });

  it("unparseable bodies → 400 invalid_request", async () => {
    await expectOAuthError(await tokenRequest({ rawBody: "{not json", contentType: "application/json" }), 400, "invalid_request", /could not be parsed/);
    await expectOAuthError(await tokenRequest({ rawBody: "grant_type=client_credentials", contentType: "text/plain" }), 400, "invalid_request", /x-www-form-urlencoded/);
    await expectOAuthError(await tokenRequest({ json: [1, 2] }), 400, "invalid_request");
    await expectOAuthError(await tokenRequest({ json: { grant_type: 42 } }), 400, "invalid_request", /must be strings/);
    const huge = `grant_type=client_credentials&client_id=${"x".repeat(9000)}`;
    await expectOAuthError(await tokenRequest({ rawBody: huge, contentType: "application/x-www-form-urlencoded" }), 400, "invalid_request", /exceeds 8192 bytes/);
  });

  it("a repeated parameter → 400 invalid_request (RFC 6749 §3.2)", async () => {
    const t = await newTenant();
    const rawBody = `grant_type=client_credentials&client_id=${t.clientId}&client_secret=${t.clientSecret}&client_secret=other`;
    const res = await tokenRequest({ rawBody, contentType: "application/x-www-form-urlencoded" });
    await expectOAuthError(res, 400, "invalid_request", /repeated/);
  });

  it("a revoked client can no longer get tokens", async () => {
    const t = await newTenant();
    expect((await admin(`/tenants/${t.id}/clients/${t.clientId}`, { method: "DELETE" })).status).toBe(204);
    const res = await tokenRequest({ form: grant, authorization: basic(t.clientId, t.clientSecret) });
    await expectOAuthError(res, 401, "invalid_client");
  });
});
