// drizzle-kit 0.x writes flat NNNN_name.sql files, which `wrangler d1 migrations apply` runs.
// (drizzle-kit 1.0 writes one folder per migration, which wrangler does not find: stay on 0.x.)
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/platform/schema/tables.ts",
  out: "./migrations",
});
