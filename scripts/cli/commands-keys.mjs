// CLI: keys rotate — a new signing key, and the retired keys that must keep verifying, as the
// JSON `wrangler secret bulk` reads from stdin. The current public keys come from the service's
// own /.well-known/jwks.json, so no key is read from or written to disk.
import { newSigningJwk, publicJwk } from "../gen-signing-key.mjs";
import { EXIT, fail, publicGet } from "./http.mjs";

export const keyCommands = {
  "keys rotate": async ({ conn, values }) => {
    const { status, data } = await publicGet(conn, "/.well-known/jwks.json");
    if (status !== 200 || !Array.isArray(data.keys)) fail(EXIT.server, `GET ${conn.url}/.well-known/jwks.json → ${status}`);
    const drop = new Set(values.drop ?? []);
    const unknown = [...drop].filter((kid) => !data.keys.some((k) => k.kid === kid));
    if (unknown.length) fail(EXIT.usage, `--drop: no key ${unknown.join(", ")} in ${conn.url}/.well-known/jwks.json`);
    const signing = await newSigningJwk(values.alg ?? "EdDSA");
    // Every key the service publishes today keeps verifying (its tokens stay valid), except the dropped ones.
    const retired = data.keys.filter((k) => !drop.has(k.kid)).map(({ use: _use, ...k }) => publicJwk(k));
    process.stdout.write(`${JSON.stringify({ SIGNING_KEY: JSON.stringify(signing), VERIFICATION_KEYS: JSON.stringify(retired) })}\n`);
    if (process.stdout.isTTY) {
      process.stderr.write("edge-scim: pipe this into `npx wrangler secret bulk` (see docs/auth.md) instead of copying it.\n");
    }
    process.stderr.write(`edge-scim: new key ${signing.kid}; still verifying: ${retired.map((k) => k.kid).join(", ") || "none"}\n`);
  },
};

/** Random bytes as text, for the first deployment's secrets. */
const random = (bytes, encoding) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString(encoding);

/** The secrets a first deployment needs (also used by `npm run setup:production`). */
export async function firstDeploymentSecrets(alg = "EdDSA") {
  const signing = await newSigningJwk(alg);
  return { ADMIN_TOKEN: random(32, "base64url"), SIGNING_KEY: JSON.stringify(signing), HUB_KEY_ENCRYPTION_KEY: random(32, "base64") };
}

keyCommands["keys init"] = async ({ values }) => {
  const secrets = await firstDeploymentSecrets(values.alg ?? "EdDSA");
  process.stdout.write(`${JSON.stringify(secrets)}\n`);
  // The admin token is the one secret a person needs back: show it on the terminal (stderr), not in the pipe.
  process.stderr.write(`edge-scim: ADMIN_TOKEN=${secrets.ADMIN_TOKEN}\nedge-scim: store it in your password manager now; Cloudflare never shows a secret again.\n`);
};
