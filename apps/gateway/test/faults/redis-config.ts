import type { ConfigInput } from "@429chain/contracts";
import { chainOf, type RedisServer, startRedisServer, waitFor } from "@429chain/testing";
import { afterAll, beforeAll } from "vitest";
import { baseConfig, upstreamProviders } from "../harness";
import { type Replicas, useReplicas, withRedis } from "../replicas";
import type { Traffic } from "./drive-traffic";
import { readyStatus } from "./gateway-probes";

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
    providers: upstreamProviders(upstreamUrl, ids),
    chains: [chainOf("ab", ["a/m", "b/m"]), chainOf("cd", ["c/m", "d/m"])],
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

/** After the fault: every replica reports ready (on Redis) again, then serves 30 requests. */
export async function waitBackOnRedis(traffic: Traffic, urls: string[], after: string) {
  await waitFor(
    async () => (await Promise.all(urls.map(readyStatus))).every((s) => s === "ready"),
    {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: "both replicas back on Redis",
    },
  );
  traffic.setPhase("after");
  await waitFor(() => traffic.served("after") >= 30, {
    timeoutMs: 30_000,
    description: `traffic after ${after}`,
  });
}
