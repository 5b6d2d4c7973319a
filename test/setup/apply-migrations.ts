// Apply the real migrations to the test D1 (idempotent: applyD1Migrations skips applied ones).
import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
