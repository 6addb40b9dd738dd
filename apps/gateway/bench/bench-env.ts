import { parseEnv } from "@429chain/contracts";
import { z } from "zod";

const count = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

/** Sizes of the scenarios that take them; the defaults are the issues' figures. */
const BenchEnvSchema = z.object({
  /** drain: logged requests pre-filled into the queue per run (2 attempts each). */
  BENCH_DRAIN_REQUESTS: count(50_000, 200),
  BENCH_DRAIN_RUNS: count(2),
  /** logging: interleaved rounds per gateway, and each round's warm-up and measured time. */
  BENCH_LOGGING_ROUNDS: count(3),
  BENCH_LOGGING_WARMUP_MS: count(2_000, 0),
  BENCH_LOGGING_ROUND_MS: count(10_000, 500),
  /** stats/storage: logged requests loaded over 30 days, logs per transaction, parallel loaders. */
  BENCH_STATS_REQUESTS: count(1_000_000, 1_000),
  BENCH_STATS_BATCH: count(5_000, 100),
  BENCH_STATS_CONCURRENCY: count(2),
  /** freeday: length of the compressed day (20 compressed minutes), and the traffic's seed. */
  BENCH_FREEDAY_DAY_MS: count(120_000, 20_000),
  BENCH_FREEDAY_SEED: count(11, 0),
});
export type BenchEnv = z.infer<typeof BenchEnvSchema>;

export function readBenchEnv(): BenchEnv {
  return parseEnv(BenchEnvSchema, process.env);
}
