import type { RedisClient } from "@429chain/redis";
import { DEFAULT_KEY_PREFIX } from "../keys";
import { affinityKey } from "./affinity-key";
import type { AffinityStore } from "./affinity-store";

/**
 * Affinities shared by every replica: one string key per conversation. A recall is one GETEX
 * (read and renew the TTL in one round trip); a remember is one SET with its TTL.
 */
export function createRedisAffinityStore(opts: {
  redis: RedisClient;
  prefix?: string;
}): AffinityStore {
  const { redis } = opts;
  const prefix = opts.prefix ?? DEFAULT_KEY_PREFIX;
  return {
    recall: (conversation, ttlMs) => redis.getex(affinityKey(prefix, conversation), "PX", ttlMs),
    async remember(conversation, entry, ttlMs) {
      await redis.set(affinityKey(prefix, conversation), entry, "PX", ttlMs);
    },
  };
}
