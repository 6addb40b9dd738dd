import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A unique key prefix per test file, so files run in parallel and leave nothing behind. */
export function uniquePrefix(label: string): string {
  return `t429:${label}:${randomBytes(4).toString("hex")}:`;
}

export interface TestRedis {
  redis: Redis;
  prefix: string;
  /** Deletes every key under the prefix and closes the client. */
  cleanup(): Promise<void>;
}

export async function createTestRedis(label: string): Promise<TestRedis> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = uniquePrefix(label);
  return {
    redis,
    prefix,
    async cleanup() {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}
