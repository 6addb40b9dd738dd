#!/usr/bin/env node
// Runs the CLI's build (dist/main.mjs). In a checkout, where scripts/build-app.mjs is, a build
// that is missing or older than its sources is made first (esbuild, well under a second), so
// this never runs stale code and nothing has to be built by hand before tests spawn it. An
// image ships the build alone and runs it directly.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const builder = new URL("../../../scripts/build-app.mjs", import.meta.url);
if (existsSync(builder)) {
  const { ensureBuilt } = await import(builder.href);
  const appDir = fileURLToPath(new URL("..", import.meta.url));
  await ensureBuilt([{ appDir, entry: "src/main.ts", outfile: "dist/main.mjs" }]);
}
await import("../dist/main.mjs");
