import type { ConfigInput } from "@429chain/contracts";
import { type RedisServer, startRedisServer } from "@429chain/testing";
import { afterAll, beforeAll } from "vitest";
import { baseConfig } from "../harness";
import { type Replicas, useReplicas, withRedis } from "../replicas";

/** Generous for a loaded CI machine; every answer must come well before it. */
export const DEADLINE_MS = 10_000;

/**
 * Chain "ab" carries the traffic; chain "cd" is kept quiet for the cooldown check, so only
 * the check's own requests reach c.
 */
export function redisFaultConfig(upstreamUrl: string): ConfigInput {
  const ids = ["a", "b", "c", "d"];
  return baseConfig({
    settings: { requestDeadlineMs: DEADLINE_MS },
    providers: ids.map((id) => ({
      id,
      name: id.toUpperCase(),
      type: "openai" as const,
      apiKey: `k${id}`,
      baseUrl: `${upstreamUrl}/${id}`,
    })),
    chains: [
      {
        name: "ab",
        entries: [
          { provider: "a", model: "m" },
          { provider: "b", model: "m" },
        ],
      },
      {
        name: "cd",
        entries: [
          { provider: "c", model: "m" },
          { provider: "d", model: "m" },
        ],
      },
    ],
  });
}

/**
 * Registers the hooks of a Redis fault test: a Redis server of its own (to kill or freeze) and
 * two replicas on it with redisFaultConfig. The server stops after the replicas.
 */
export function faultReplicas(label: string): Replicas & { readonly redis: RedisServer } {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 60_000);
  afterAll(() => redis?.stop());
  const replicas = useReplicas({
    label,
    config: redisFaultConfig,
    redisEnv: () => ({ REDIS_URL: redis?.url ?? "", REDIS_KEY_PREFIX: "faults:" }),
    env: { LOG_LEVEL: "error" },
  });
  return withRedis(replicas, () => redis, "the fault test's Redis is not running");
}
