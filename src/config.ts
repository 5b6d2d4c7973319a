// Bindings and the typed configuration parsed from them (zod), once per invocation.
import { z } from "zod";
import type { MoveQueue } from "./tenancy/port";
import type { SyncQueue } from "./sync/port";

export interface Bindings {
  /** The first shard and the directory (src/platform/d1/shards.ts). */
  DB: D1Database;
  /** Further shards, DB_1 … DB_n (docs/operations.md "Adding a shard"); optional. */
  [shard: `DB_${number}`]: D1Database | undefined;
  /** Secret: bearer token for /admin/v1. */
  ADMIN_TOKEN: string;
  /** Secret: private JWK (JSON) that signs access tokens; must carry `kid` and `alg`. */
  SIGNING_KEY: string;
  /** Secret, optional: JSON array of public JWKs of retired signing keys, still accepted. */
  VERIFICATION_KEYS?: string;
  /** Var, optional: public origin (https://scim.example.com); defaults to the request origin. */
  PUBLIC_URL?: string;
  /** Secret: base64 of 32 random bytes; AES-GCM key for the per-tenant Device Hub API keys. */
  HUB_KEY_ENCRYPTION_KEY?: string;
  /**
   * Optional service binding to a Device Hub (tests and dev: the emulator). Used instead of the
   * public internet when a tenant's hub baseUrl has the host "device-hub".
   */
  DEVICE_HUB?: Fetcher;
  /**
   * Producer binding of the Device Hub sync queue ([[queues.producers]] in wrangler.toml). Without
   * it the cron runs the due tenants itself and SCIM changes wait for the next tick.
   */
  SYNC_QUEUE?: SyncQueue;
  /**
   * Producer binding of the sync's slow lane: tenants whose hub is timing out or erroring run
   * there, never in an invocation with healthy tenants. Optional: without it the main consumer
   * runs them after the healthy tenants of its batch, each alone.
   */
  SYNC_SLOW_QUEUE?: SyncQueue;
  /**
   * Producer binding of the tenant-move queue: a move that used a whole invocation's budget goes on
   * at once instead of at the next cron run (src/tenancy/move/hand-on.ts). Optional.
   */
  MOVE_QUEUE?: MoveQueue;
  /** Rate-limit tiers for /scim/v2 ([[ratelimits]] in wrangler.toml; src/access/http/rate-limit.ts). */
  RATE_LIMIT_RESTRICTED?: RateLimit;
  RATE_LIMIT_STANDARD?: RateLimit;
  RATE_LIMIT_HIGH?: RateLimit;
  RATE_LIMIT_CLIENT_RESTRICTED?: RateLimit;
  RATE_LIMIT_CLIENT_STANDARD?: RateLimit;
  RATE_LIMIT_CLIENT_HIGH?: RateLimit;
  /** Token endpoint limits against secret guessing: per client_id and per client IP. */
  RATE_LIMIT_TOKEN_CLIENT?: RateLimit;
  RATE_LIMIT_TOKEN_IP?: RateLimit;
  /** Tenant admins' calls to /admin/v1, per tenant (the operator's are not limited). */
  RATE_LIMIT_TENANT_ADMIN?: RateLimit;
  /** Var, optional: tenant-move steps (chunk copies, replays, purge rounds) per cron run (default 200). */
  TENANT_MOVE_STEPS?: string;
  /** Var, optional: days the audit log keeps rows (default 90); the cron prunes older ones. */
  AUDIT_RETENTION_DAYS?: string;
  /** Var, optional: how long a SCIM create or rename waits for the hub's userName answer (default 1500 ms). */
  HUB_NAME_CHECK_TIMEOUT_MS?: string;
}

const ConfigSchema = z.object({
  adminToken: z.string().min(16, "ADMIN_TOKEN must be at least 16 characters"),
  signingKey: z.string().min(1, "SIGNING_KEY is not set"),
  verificationKeys: z.string().optional(),
  publicUrl: z
    .string()
    .url()
    .transform((u) => u.replace(/\/+$/, ""))
    .optional(),
  auditRetentionDays: z.coerce.number().int("AUDIT_RETENTION_DAYS must be a whole number of days").min(1).max(3650).default(90),
  // Entra waits for each SCIM answer and retries slow ones: past a few seconds, the hub's verdict
  // costs more than the mirror's.
  hubNameCheckTimeoutMs: z.coerce.number().int("HUB_NAME_CHECK_TIMEOUT_MS must be a whole number of milliseconds").min(100).max(60_000).default(1500),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Validate the bindings; a misconfigured deployment fails loudly, not with odd 401s. */
export function parseConfig(env: Bindings): Config {
  const parsed = ConfigSchema.safeParse({
    adminToken: env.ADMIN_TOKEN,
    signingKey: env.SIGNING_KEY,
    verificationKeys: env.VERIFICATION_KEYS || undefined,
    publicUrl: env.PUBLIC_URL || undefined,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS || undefined,
    hubNameCheckTimeoutMs: env.HUB_NAME_CHECK_TIMEOUT_MS || undefined,
  });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${first?.path.join(".")}: ${first?.message}`);
  }
  return parsed.data;
}
