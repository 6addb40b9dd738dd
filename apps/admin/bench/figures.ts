/**
 * Issue 5's closing figures for the admin console, printed (never asserted):
 *  (b) GET /dashboard?range=30d (server-rendered HTML, logged in) over BENCH_STATS_REQUESTS
 *      (default 1,000,000) logged requests, median of 5 after a warm-up; the log volume is the
 *      gateway bench's loader (apps/gateway/bench/log-volume.ts: processRequestLogBatch);
 *  (c) first-load JS per page of the production build (raw and gzip).
 * Figure (a), chain save → gateway serving the new order, is printed by test/e2e-config.int.test.ts.
 *
 * Run: pnpm --filter @429chain/admin bench (add BENCH_STATS_REQUESTS=100000 for a quick run).
 */
import { createSession, createUser } from "@429chain/db";
import { createTestRedis } from "@429chain/testing";
import { dropLogVolume, logVolume } from "../../gateway/bench/log-volume";
import { ensureAdminBuild, startAdminServer } from "../test/admin-server";
import { firstLoadJs, type PageJs } from "./first-load-js";

const RUNS = 5;
const PAGES = [
  "/dashboard",
  "/requests",
  "/ratelimits",
  "/playground",
  "/providers",
  "/providers/new",
  "/providers/p",
  "/chains",
  "/chains/new",
  "/chains/fast",
  "/keys",
  "/users",
  "/audit",
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

async function timeGet(url: string, cookie: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${url}: status ${res.status}`);
  return { ms, bytes: body.length };
}

async function main(): Promise<void> {
  await ensureAdminBuild();
  process.stderr.write("loading the request logs (BENCH_STATS_REQUESTS, default 1,000,000)…\n");
  const volume = await logVolume();
  const redis = await createTestRedis("admin-bench");
  const db = volume.db.handle.db;
  await volume.db.importConfig({
    version: 1,
    providers: [{ id: "p", name: "P", type: "openai", apiKey: "sk-bench" }],
    chains: [{ name: "fast", entries: [{ provider: "p", model: "m" }] }],
    settings: { defaultChain: "fast" },
  });
  const user = await createUser(
    db,
    { email: "bench@example.com", password: "bench-password-1", role: "admin" },
    "bench",
  );
  const { token } = await createSession(db, { userId: user.id, maxAgeMs: 3_600_000 });
  const cookie = `429chain_session=${token}`;
  const server = await startAdminServer({
    DATABASE_URL: volume.db.url,
    MASTER_KEY: volume.db.masterKeyText,
    REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_KEY_PREFIX: redis.prefix,
  });
  try {
    console.log(
      `logged requests: ${volume.requests} (loaded in ${(volume.loadMs / 1000).toFixed(1)} s)`,
    );
    console.log(`\n(b) dashboard server response, median of ${RUNS} after a warm-up`);
    for (const path of [
      "/dashboard?range=30d",
      "/dashboard?range=7d",
      "/dashboard?range=24h",
      "/requests",
    ]) {
      await timeGet(`${server.url}${path}`, cookie);
      const runs: { ms: number; bytes: number }[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await timeGet(`${server.url}${path}`, cookie));
      const times = runs.map((r) => r.ms);
      console.log(
        `  GET ${path}: median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}), HTML ${kb(runs[0]!.bytes)}`,
      );
    }

    console.log("\n(c) first-load JS per page (every <script src> of the HTML; gzip -9)");
    const cache = new Map<string, Buffer>();
    const pages: PageJs[] = [await firstLoadJs(server.url, "/login", null, cache)];
    for (const path of PAGES) pages.push(await firstLoadJs(server.url, path, cookie, cache));
    for (const p of pages) {
      console.log(
        `  ${p.path.padEnd(16)} ${String(p.scripts).padStart(2)} scripts  ${kb(p.rawBytes).padStart(9)} raw  ${kb(p.gzipBytes).padStart(8)} gzip`,
      );
    }
  } finally {
    await server.stop();
    await redis.cleanup();
    await dropLogVolume();
  }
}

await main();
