import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, buildReason, REPO_ROOT } from "../../../scripts/build-app.mjs";

const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
// Under the app's node_modules so the bundle's bare imports resolve as from dist/ (and git
// ignores it).
const CACHE = join(APP_DIR, "node_modules/.cache");
let dir: string;

/** An entry file of the test's own, built as if it were the quickstart's. */
function entry(name: string, source: string): string {
  writeFileSync(join(dir, name), source);
  return join(dir, name);
}

beforeAll(() => {
  mkdirSync(CACHE, { recursive: true });
  dir = mkdtempSync(join(CACHE, "app-build-"));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("scripts/build-app.mjs", () => {
  it("bundles workspace packages, keeps third-party packages as imports, and paths found from import.meta.url still point at the sources", async () => {
    const main = entry(
      "paths.ts",
      `export { MIGRATIONS_FOLDER } from "@429chain/db";
export { REPO_ROOT } from "${join(APP_DIR, "src/process-specs.ts")}";
`,
    );
    const outfile = join(dir, "paths/main.mjs");
    await buildApp({ appDir: APP_DIR, entry: main, outfile });

    const bundle = readFileSync(outfile, "utf8");
    expect(bundle).not.toMatch(/from "@429chain\//);
    expect(bundle).toMatch(/from "drizzle-orm"/);
    const built = (await import(pathToFileURL(outfile).href)) as Record<string, string>;
    expect(built.MIGRATIONS_FOLDER).toBe(join(REPO_ROOT, "packages/db/drizzle"));
    expect(built.REPO_ROOT).toBe(join(REPO_ROOT, "/"));
    expect(readFileSync(`${outfile}.map`, "utf8")).toContain("packages/db/src/migrate.ts");
  });

  it("refuses a bundle importing a package the app does not list in its dependencies", async () => {
    const main = entry("redis.ts", `export { Redis } from "ioredis";\n`);
    await expect(
      buildApp({ appDir: APP_DIR, entry: main, outfile: join(dir, "redis/main.mjs") }),
    ).rejects.toThrow(
      /@429chain\/quickstart: add to its package\.json dependencies: ioredis \(imported by apps\/quickstart\/node_modules\/\.cache\/app-build-\w+\/redis\.ts\)/,
    );
  });

  it("says why a build is needed: none yet, a source changed or is gone; none once built", async () => {
    const helper = entry("helper.ts", "export const answer = 42;\n");
    const main = entry("stale.ts", `export { answer } from "./helper";\n`);
    const outfile = join(dir, "stale/main.mjs");
    const app = { appDir: APP_DIR, entry: main, outfile };
    expect(buildReason(app)).toBe("no build yet");

    await buildApp(app);
    expect(buildReason(app)).toBeNull();

    // A source edited after the build: the bundle is older than it.
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(outfile, earlier, earlier);
    expect(buildReason(app)).toMatch(/^apps\/quickstart\/node_modules\/.+\.ts changed$/);

    await buildApp(app);
    expect(buildReason(app)).toBeNull();
    rmSync(helper);
    expect(buildReason(app)).toMatch(/helper\.ts is gone$/);
  });
});
