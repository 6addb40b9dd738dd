import { join } from "node:path";
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Workspace packages export TypeScript source.
  transpilePackages: [
    "@429chain/contracts",
    "@429chain/db",
    "@429chain/quota",
    "@429chain/redis",
    "@429chain/providers",
    "@429chain/config",
  ],
  // pg, PGlite and ioredis are Node libraries: load them at run time instead of bundling.
  serverExternalPackages: ["pg", "@electric-sql/pglite", "ioredis"],
  // TypeScript 7 has no JS API for next build's checker; `pnpm typecheck` runs tsc instead.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  // The Docker image runs Next's self-contained server (infra/docker/admin.Dockerfile sets
  // NEXT_OUTPUT=standalone); `next start` elsewhere does not work with that output.
  ...(process.env.NEXT_OUTPUT === "standalone"
    ? { output: "standalone" as const, outputFileTracingRoot: join(import.meta.dirname, "../..") }
    : {}),
  // The browser e2e test builds and serves a directory of its own, so a `next build` of .next
  // by someone else (quickstart, a developer) never replaces the build it is serving.
  distDir: process.env.ADMIN_DIST_DIR ?? ".next",
};

export default nextConfig;
