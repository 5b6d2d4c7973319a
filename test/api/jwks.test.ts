// GET /.well-known/jwks.json: the active and the retired public keys, never a private part, and
// enough to verify the tokens we issue (what an outside resource server would do).
import { createLocalJWKSet, jwtVerify, type JWK } from "jose";
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, json } from "../support/http";
import { newTenant } from "../support/tenant";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];

describe("JWKS", () => {
  it("publishes the active and the retired public keys, without auth, cacheable", async () => {
    const res = await call("/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    const { keys } = await json<{ keys: JWK[] }>(res);
    expect(keys.map((k) => k.kid)).toEqual(["test-active", "test-retired"]);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig", x: expect.any(String) });
      for (const member of PRIVATE_MEMBERS) expect(key, `${key.kid} leaks "${member}"`).not.toHaveProperty(member);
    }
    const retired = JSON.parse(env.TEST_RETIRED_SIGNING_KEY) as JWK;
    expect(keys[1]!.x).toBe(retired.x);
  });

  it("verifies an issued token (the active key really is the signing key)", async () => {
    const t = await newTenant();
    const { keys } = await json<{ keys: JWK[] }>(await call("/.well-known/jwks.json"));
    const { payload, protectedHeader } = await jwtVerify(t.token, createLocalJWKSet({ keys }), {
      issuer: "https://scim.test",
      audience: "https://scim.test/scim/v2",
    });
    expect(protectedHeader.kid).toBe("test-active");
    expect(payload.sub).toBe(t.clientId);
  });
});
