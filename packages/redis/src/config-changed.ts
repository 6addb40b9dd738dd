import { configChangedChannel } from "@429chain/contracts";
import type { RedisClient } from "./redis-client";

/**
 * Announces a committed config version; gateway replicas reload when it arrives. PUBLISH
 * reaches subscribers on every node of a cluster.
 */
export async function publishConfigVersion(
  redis: RedisClient,
  keyPrefix: string,
  version: number,
): Promise<void> {
  await redis.publish(configChangedChannel(keyPrefix), String(version));
}
