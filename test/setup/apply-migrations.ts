// Apply the real migrations to every test shard (idempotent: applyD1Migrations skips applied ones).
import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await applyD1Migrations(env.DB_1!, env.TEST_MIGRATIONS);
