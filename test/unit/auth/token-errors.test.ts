// Only a bad token is a 401: verifyToken turns jose's errors into TokenRejected and lets any
// other error (a misconfigured key, a bug) through, so it surfaces as a 500 and gets fixed.
import { generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import type { KeyRing } from "../../../src/access/keys";
import { TOKEN_TYPE, TokenRejected, verifyToken } from "../../../src/access/tokens";

const WHERE = { issuer: "https://scim.test", audience: "https://scim.test/scim/v2" };
const NOW = new Date();

async function token(key: CryptoKey, kid = "k1") {
  return new SignJWT({ tid: "t1", scope: "scim" })
    .setProtectedHeader({ alg: "EdDSA", kid, typ: TOKEN_TYPE })
    .setIssuer(WHERE.issuer)
    .setAudience(WHERE.audience)
    .setSubject("c1")
    .setJti("j1")
    .setIssuedAt(Math.floor(NOW.getTime() / 1000))
    .setExpirationTime(Math.floor(NOW.getTime() / 1000) + 600)
    .sign(key);
}

const ring = (verifyKey: CryptoKey, signKey: CryptoKey): KeyRing => ({
  signing: { kid: "k1", alg: "EdDSA", key: signKey },
  verify: new Map([["k1", { alg: "EdDSA", key: verifyKey }]]),
  jwks: { keys: [] },
});

describe("verifyToken: which errors are a bad token", () => {
  it("accepts a good token and rejects a token signed by another key (jose's error → TokenRejected)", async () => {
    const mine = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const other = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    await expect(verifyToken(ring(mine.publicKey, mine.privateKey), WHERE, await token(mine.privateKey), NOW)).resolves.toMatchObject({ tenantId: "t1" });
    await expect(verifyToken(ring(mine.publicKey, mine.privateKey), WHERE, await token(other.privateKey), NOW)).rejects.toBeInstanceOf(TokenRejected);
  });

  it("a verification key of the wrong kind (our misconfiguration) is not reported as a bad token", async () => {
    const mine = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const hmac = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    const err = await verifyToken(ring(hmac as CryptoKey, mine.privateKey), WHERE, await token(mine.privateKey), NOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(TokenRejected);
  });
});
