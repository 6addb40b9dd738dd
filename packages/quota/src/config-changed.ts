import { configChangedChannel } from "@429chain/contracts";
import type { Redis } from "ioredis";

/** Announces a committed config version; gateway replicas reload when it arrives. */
export async function publishConfigVersion(
  redis: Redis,
  keyPrefix: string,
  version: number,
): Promise<void> {
  await redis.publish(configChangedChannel(keyPrefix), String(version));
}
