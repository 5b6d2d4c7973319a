#!/usr/bin/env node
// Print a fresh private signing JWK (kid + alg) for the SIGNING_KEY secret, or, with --public,
// the public part of a private JWK read from stdin (for VERIFICATION_KEYS during key rotation).
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { exportJWK, generateKeyPair } from "jose";

const ALGS = new Set(["EdDSA", "ES256"]);

/** A new extractable key pair exported as a private JWK with `kid` and `alg` (what src/access/keys.ts requires). */
export async function newSigningJwk(alg = "EdDSA", kid = defaultKid()) {
  if (!ALGS.has(alg)) throw new Error(`alg must be EdDSA or ES256, not ${alg}`);
  const { privateKey } = await generateKeyPair(alg, alg === "EdDSA" ? { crv: "Ed25519", extractable: true } : { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg };
}

/** The public members of a JWK: everything except the private parameters. */
export function publicJwk(jwk) {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return pub;
}

// Date plus randomness: sortable in the JWKS, unique if two keys are made on one day.
function defaultKid() {
  return `key-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
}

async function readStdin() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

async function main() {
  const { values } = parseArgs({
    options: {
      alg: { type: "string", default: "EdDSA" },
      kid: { type: "string" },
      public: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "Usage: node scripts/gen-signing-key.mjs [--alg EdDSA|ES256] [--kid KID]   print a new private JWK\n" +
        "       node scripts/gen-signing-key.mjs --public < private.json            print its public JWK\n",
    );
    return;
  }
  if (values.public) {
    process.stdout.write(`${JSON.stringify(publicJwk(JSON.parse(await readStdin())))}\n`);
    return;
  }
  process.stdout.write(`${JSON.stringify(await newSigningJwk(values.alg, values.kid))}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`gen-signing-key: ${err.message}\n`);
    process.exit(1);
  });
}
