// Tests run inside workerd (@cloudflare/vitest-plugin) against D1 with the real migrations.
// Secrets are generated fresh for every run: nothing in the repo signs tokens.
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { build } from "esbuild";
import { exportJWK, generateKeyPair } from "jose";
import { defineConfig } from "vitest/config";
import { buildConsole } from "../scripts/build-console.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

async function privateJwk(kid: string) {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: "EdDSA" };
}

// The Device Hub emulator runs as an auxiliary Worker; aux Workers need a ready JS bundle.
async function buildDeviceHubEmulator(): Promise<string> {
  // One bundle per run: concurrent runs (a second checkout sharing node_modules) must not
  // overwrite each other's emulator.
  const outfile = `${root}/node_modules/.cache/device-hub-emulator-${process.pid}/index.js`;
  await build({
    entryPoints: [`${root}/test/emulators/device-hub/index.ts`],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    logLevel: "warning",
  });
  process.once("exit", () => rmSync(dirname(outfile), { recursive: true, force: true }));
  return outfile;
}

export default defineConfig(async () => {
  // wrangler.toml's [assets] directory must exist before the plugin reads the config; a clean
  // clone has none until the console is built (test/api/console-assets.test.ts serves it).
  await buildConsole();
  const migrations = await readD1Migrations(`${root}/migrations`);
  const deviceHubScript = await buildDeviceHubEmulator();
  const signing = await privateJwk("test-active");
  const retired = await privateJwk("test-retired");
  const { d: _d, ...retiredPublic } = retired;
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: `${root}/wrangler.toml` },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
            SIGNING_KEY: JSON.stringify(signing),
            VERIFICATION_KEYS: JSON.stringify([retiredPublic]),
            TEST_RETIRED_SIGNING_KEY: JSON.stringify(retired),
            PUBLIC_URL: "",
            // AES-GCM key for the per-tenant Device Hub API keys (src/sync/hub/key-crypto.ts), fresh per run.
            HUB_KEY_ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64"),
            // The hub's userName answer at SCIM create: 1.5 s in production, where a slow hub falls
            // back to the mirror. A busy CI machine must not turn a live "taken" into that fallback.
            HUB_NAME_CHECK_TIMEOUT_MS: "30000",
          },
          // The "restricted" tier is 5 requests a minute here (600 in wrangler.toml), so the
          // rate-limit tests can exceed it in a few calls; tenant admins get 300 (600 there): twice
          // what the busiest tenant-admin test spends on one tenant. The other limiters keep their values.
          ratelimits: {
            RATE_LIMIT_RESTRICTED: { namespace_id: "1001", simple: { limit: 5, period: 60 } },
            RATE_LIMIT_CLIENT_RESTRICTED: { namespace_id: "1006", simple: { limit: 3, period: 60 } },
            RATE_LIMIT_TENANT_ADMIN: { namespace_id: "1009", simple: { limit: 300, period: 60 } },
          },
          // A second shard (src/platform/d1/shards.ts): every test runs with two, so tenants created
          // through the admin API spread over both and the routing is always exercised.
          d1Databases: { DB_1: "edge-scim-shard-1" },
          // Test-only: the main worker reaches the emulator as env.DEVICE_HUB (base URL "http://device-hub").
          serviceBindings: { DEVICE_HUB: "device-hub-emulator" },
          workers: [
            {
              name: "device-hub-emulator",
              modules: true,
              scriptPath: deviceHubScript,
              compatibilityDate: "2026-11-01",
              durableObjects: { HUB: { className: "HubWorkspace", useSQLite: true } },
            },
          ],
        },
      }),
    ],
    test: {
      root,
      include: ["test/**/*.test.ts"],
      setupFiles: ["test/setup/apply-migrations.ts"],
      // One file at a time: every file shares one D1 (the plugin has no per-file storage), and the
      // cron and queue tests act on every due tenant in it, so files must not interleave. (On the
      // 2-core CI machine vitest already runs one file at a time; this keeps bigger machines alike.)
      fileParallelism: false,
      // Generous defaults for a busy 2-core CI machine: no test may pass or fail on a timing margin.
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // Access-log lines of passing tests are noise; failing tests still show them.
      silent: "passed-only",
    },
  };
});
