// Signing and verification keys from secrets. Rotation is a data change: the active key signs,
// every configured key (active + retired) verifies and is published in /.well-known/jwks.json.
import { importJWK, type JWK } from "jose";
import type { Config } from "../config";

export const ALLOWED_ALGORITHMS = ["EdDSA", "ES256"] as const;
export type SigningAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

export interface KeyRing {
  signing: { kid: string; alg: SigningAlgorithm; key: CryptoKey };
  /** Verification keys by kid. */
  verify: Map<string, { alg: SigningAlgorithm; key: CryptoKey }>;
  /** Public JWKS document. */
  jwks: { keys: JWK[] };
}

// Imported keys are cached per isolate, keyed by the exact secret text: safe across tenants
// (keys are deployment-wide) and it keeps importKey off the hot path.
const cache = new Map<string, Promise<KeyRing>>();

export function loadKeyRing(config: Pick<Config, "signingKey" | "verificationKeys">): Promise<KeyRing> {
  const cacheKey = `${config.signingKey}\u0000${config.verificationKeys ?? ""}`;
  let ring = cache.get(cacheKey);
  if (!ring) {
    ring = buildKeyRing(config);
    ring.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, ring);
  }
  return ring;
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, key_ops: _ops, ext: _ext, ...pub } = jwk;
  return { ...pub, use: "sig" };
}

function checkAlg(jwk: JWK, what: string): SigningAlgorithm {
  const alg = jwk.alg ?? (jwk.crv === "Ed25519" ? "EdDSA" : jwk.crv === "P-256" ? "ES256" : undefined);
  if (!alg || !(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new Error(`${what}: alg must be one of ${ALLOWED_ALGORITHMS.join(", ")}`);
  }
  if (!jwk.kid) throw new Error(`${what}: kid is required`);
  return alg as SigningAlgorithm;
}

async function buildKeyRing(config: Pick<Config, "signingKey" | "verificationKeys">): Promise<KeyRing> {
  const signingJwk = JSON.parse(config.signingKey) as JWK;
  const alg = checkAlg(signingJwk, "SIGNING_KEY");
  if (!signingJwk.d) throw new Error("SIGNING_KEY must be a private JWK");
  const signingKey = (await importJWK(signingJwk, alg)) as CryptoKey;
  const publicSigning = publicPart({ ...signingJwk, alg });
  const verifyKey = (await importJWK(publicSigning, alg)) as CryptoKey;

  const verify = new Map<string, { alg: SigningAlgorithm; key: CryptoKey }>();
  verify.set(signingJwk.kid!, { alg, key: verifyKey });
  const jwks: JWK[] = [publicSigning];

  const retired = config.verificationKeys ? (JSON.parse(config.verificationKeys) as JWK[]) : [];
  for (const jwk of retired) {
    const retiredAlg = checkAlg(jwk, "VERIFICATION_KEYS entry");
    const pub = publicPart({ ...jwk, alg: retiredAlg });
    if (verify.has(jwk.kid!)) continue;
    verify.set(jwk.kid!, { alg: retiredAlg, key: (await importJWK(pub, retiredAlg)) as CryptoKey });
    jwks.push(pub);
  }
  return { signing: { kid: signingJwk.kid!, alg, key: signingKey }, verify, jwks: { keys: jwks } };
}
