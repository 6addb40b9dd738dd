import type { ConfigInput } from "@429chain/contracts";
import {
  createTestRedis,
  type FakeUpstream,
  startFakeUpstream,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import type { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process";
import { writeTempConfig } from "./harness";

export interface ReplicasOptions {
  /** Names the temp config directory. */
  label: string;
  /** The config file both replicas read, built from the fake upstream's URL. */
  config: (upstreamUrl: string) => ConfigInput;
  /**
   * The Redis both replicas share. Read in beforeAll, after the file's own beforeAll hooks
   * registered before useReplicas (start the Redis there; stop it in an afterAll registered
   * before useReplicas too, so it runs once the replicas have stopped).
   */
  redisEnv: () => { REDIS_URL: string; REDIS_KEY_PREFIX: string };
  /** More env for both, over LOG_LEVEL=warn. */
  env?: Record<string, string>;
}

export interface Replicas {
  readonly upstream: FakeUpstream;
  /** r1 and r2, in that order. */
  readonly replicas: GatewayProcess[];
  urls(): string[];
}

/**
 * Registers the hooks of a test file on two gateway processes (REPLICA_ID r1 and r2) that
 * share one config file, one fake upstream and one Redis.
 */
export function useReplicas(options: ReplicasOptions): Replicas {
  let upstream: FakeUpstream | undefined;
  let config: { path: string; remove(): void } | undefined;
  let replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    config = writeTempConfig(options.config(upstream.url), options.label);
    const env = {
      CONFIG_PATH: config.path,
      ...options.redisEnv(),
      LOG_LEVEL: "warn",
      ...options.env,
    };
    const booted = await Promise.allSettled(
      ["r1", "r2"].map((id) => startGatewayProcess({ env: { ...env, REPLICA_ID: id } })),
    );
    replicas = booted.flatMap((b) => (b.status === "fulfilled" ? [b.value] : []));
    const failed = booted.find((b) => b.status === "rejected");
    if (failed) throw failed.reason;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await upstream?.close();
    config?.remove();
  });

  return {
    get upstream() {
      if (!upstream) throw new Error("useReplicas used outside a test");
      return upstream;
    },
    get replicas() {
      return replicas;
    },
    urls: () => replicas.map((r) => r.url),
  };
}

export interface SharedRedisReplicasOptions extends Omit<ReplicasOptions, "redisEnv" | "env"> {
  /** A REDIS_BACKENDS entry's URL and open; default the local Redis. */
  redisUrl?: string;
  open?: (label: string) => Promise<TestRedis<Redis | Cluster>>;
}

/**
 * useReplicas on a fresh prefix of a shared Redis, removed at the end. Shared state is what
 * these tests check: a 3 s command timeout, so a loaded test machine does not push a replica
 * onto its local fallback.
 */
export function useSharedRedisReplicas(
  options: SharedRedisReplicasOptions,
): Replicas & { readonly redis: TestRedis<Redis | Cluster> } {
  const { redisUrl = TEST_REDIS_URL, open = createTestRedis, ...rest } = options;
  let redis: TestRedis<Redis | Cluster> | undefined;
  beforeAll(async () => {
    redis = await open(options.label);
  });
  afterAll(() => redis?.cleanup());
  const replicas = useReplicas({
    ...rest,
    redisEnv: () => ({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redis?.prefix ?? "" }),
    env: { REDIS_COMMAND_TIMEOUT_MS: "3000" },
  });
  return withRedis(replicas, () => redis, "useSharedRedisReplicas used outside a test");
}

/** `replicas` with the Redis they share, which the test started (undefined until it has). */
export function withRedis<R>(
  replicas: Replicas,
  redis: () => R | undefined,
  notRunning: string,
): Replicas & { readonly redis: R } {
  return {
    get upstream() {
      return replicas.upstream;
    },
    get replicas() {
      return replicas.replicas;
    },
    urls: replicas.urls,
    get redis() {
      const r = redis();
      if (r === undefined) throw new Error(notRunning);
      return r;
    },
  };
}
