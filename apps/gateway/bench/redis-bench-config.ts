import { type CooldownPolicy, createRedisQuotaStore, type EntryPolicy } from "@429chain/quota";
import { createRedisClient } from "@429chain/redis";
import { buildBenchConfig, CHAINS } from "./bench-config";
import { MOCK } from "./mock-routes";

/** Providers the redis scenario puts in a long cooldown before it measures: always skipped. */
const COOL = ["cool-1", "cool-2", "cool-3"] as const;

/** Chains of the redis scenario: how Redis cost grows with the entries a request skips. */
export const REDIS_CHAINS = {
  fast: CHAINS.fast,
  hop: CHAINS.hop,
  /** One provider in cooldown, then mock-fast. */
  skip1: "skip-1",
  /** Three providers in cooldown, then mock-fast. */
  skip3: "skip-3",
  /** Three models of one provider in cooldown (one provider-wide cooldown), then mock-fast. */
  skip3Same: "skip-3-same",
} as const;

const entry = (provider: string, model = "m") => ({ provider, model });

/** The shared bench config plus the cooled providers and the skip chains. */
export function buildRedisBenchConfig(upstreamUrl: string) {
  const base = buildBenchConfig(upstreamUrl);
  const fast = entry("mock-fast");
  return {
    ...base,
    providers: [
      ...base.providers,
      // Never called: in cooldown for the whole run.
      ...COOL.map((id) => ({
        id,
        name: id,
        type: "generic-openai",
        apiKey: "x",
        baseUrl: `${upstreamUrl}${MOCK.fast}`,
      })),
    ],
    chains: [
      ...base.chains,
      { name: REDIS_CHAINS.skip1, entries: [entry("cool-1"), fast] },
      { name: REDIS_CHAINS.skip3, entries: [...COOL.map((p) => entry(p)), fast] },
      {
        name: REDIS_CHAINS.skip3Same,
        entries: [entry("cool-1", "a"), entry("cool-1", "b"), entry("cool-1", "c"), fast],
      },
    ],
  };
}

const POLICY: CooldownPolicy = {
  rateLimitBaseMs: 1_000,
  rateLimitMinMs: 1_000,
  rateLimitMaxMs: 3_600_000,
  creditMs: 3_600_000,
  authFailedMs: 3_600_000,
  circuitThreshold: 1_000_000,
  circuitBaseMs: 1_000,
  circuitMaxMs: 1_000,
  midStreamThreshold: 1_000_000,
  midStreamBaseMs: 1_000,
  midStreamMaxMs: 1_000,
  burnTauMs: 300_000,
};

/** Puts every cool provider in a provider-wide cooldown of an hour, as a gateway would. */
export async function coolDownProviders(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedisClient(redisUrl, { role: "api", overrides: { lazyConnect: true } });
  try {
    await redis.connect();
    const store = createRedisQuotaStore({ redis, prefix });
    const retryAt = Date.now() + 3_600_000;
    for (const provider of COOL) {
      const policy: EntryPolicy = { provider, model: "m", headerScope: "entry" };
      const acquired = await store.acquire({
        entries: [policy],
        estimatedTokens: 0,
        leaseTtlMs: 1_000,
      });
      if (!acquired.ok) throw new Error(`${provider} is not acquirable`);
      await store.settle(acquired.lease, {
        outcome: { kind: "quota_exhausted", scope: "provider", retryAt, reason: "bench" },
        windows: [],
        policy: POLICY,
      });
    }
  } finally {
    redis.disconnect();
  }
}
