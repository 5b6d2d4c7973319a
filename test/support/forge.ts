// Token forgery kit for the security tests: decode a real token, re-sign its claims with the
// retired key (a legitimate verification key whose private half the test config hands us),
// tamper with payloads while keeping signatures, and build alg-confusion tokens.
import { env } from "cloudflare:test";
import {
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type JWK,
  type JWTPayload,
} from "jose";

export type Claims = JWTPayload & { tid?: unknown; scope?: unknown };
export type Header = Record<string, unknown>;

const enc = new TextEncoder();
const b64json = (value: unknown) => base64url.encode(JSON.stringify(value));

export const RETIRED_KID = "test-retired";
export const ACTIVE_KID = "test-active";

/** Header and claims of a token as the server issued it. */
export function decode(token: string): { header: Header; claims: Claims } {
  return { header: decodeProtectedHeader(token) as Header, claims: decodeJwt(token) as Claims };
}

const nowS = () => Math.floor(Date.now() / 1000);

/** The retired key's private JWK (test/vitest.config.ts); its public half is in VERIFICATION_KEYS. */
export function retiredPrivateJwk(): JWK {
  return JSON.parse(env.TEST_RETIRED_SIGNING_KEY) as JWK;
}

/** Sign `claims` with the retired key: a valid signature from a key the server still trusts. */
export async function signWithRetiredKey(claims: Claims, header: Header = {}): Promise<string> {
  const key = await importJWK(retiredPrivateJwk(), "EdDSA");
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "EdDSA", kid: RETIRED_KID, typ: "at+jwt", ...header })
    .sign(key);
}

/** A well-formed token signed by a fresh key the server has never seen, under any kid. */
export async function signWithStrangerKey(claims: Claims, header: Header = {}): Promise<{ token: string; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: "EdDSA", kid: ACTIVE_KID, typ: "at+jwt", ...header })
    .sign(privateKey);
  return { token, publicJwk };
}

/** Replace header and/or payload segments but keep the original signature bytes. */
export function tamper(token: string, change: { header?: Header; claims?: Claims }): string {
  const [h, p, sig] = token.split(".");
  const { header, claims } = decode(token);
  const newHeader = change.header ? b64json({ ...header, ...change.header }) : h;
  const newPayload = change.claims ? b64json({ ...claims, ...change.claims }) : p;
  return `${newHeader}.${newPayload}.${sig}`;
}

/** An unsecured JWT (RFC 7519 §6): alg "none", empty signature. */
export const unsignedToken = (claims: Claims, header: Header = {}) =>
  `${b64json({ alg: "none", typ: "at+jwt", kid: ACTIVE_KID, ...header })}.${b64json(claims)}.`;

/** HS256 with `secret` as the HMAC key: the classic RS/EdDSA→HS algorithm-confusion forgery. */
export async function hs256Token(claims: Claims, secret: Uint8Array, header: Header = {}): Promise<string> {
  const signingInput = `${b64json({ alg: "HS256", typ: "at+jwt", kid: ACTIVE_KID, ...header })}.${b64json(claims)}`;
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(signingInput)));
  return `${signingInput}.${base64url.encode(mac)}`;
}

/** Claims like the server's, valid now, for the given tenant/client/jti and origin. */
export function claimsFor(
  who: { tenantId: string; clientId: string; jti: string },
  origin: string,
  overrides: Claims = {},
): Claims {
  const iat = nowS();
  return {
    iss: origin,
    aud: `${origin}/scim/v2`,
    sub: who.clientId,
    tid: who.tenantId,
    jti: who.jti,
    scope: "scim",
    iat,
    exp: iat + 3600,
    ...overrides,
  };
}

export { nowS };
