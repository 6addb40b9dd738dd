import { defineConfig } from "drizzle-kit";

// Run from packages/db: `pnpm --filter @429chain/db generate` after a schema change.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./drizzle",
  strict: true,
});
