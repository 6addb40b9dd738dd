import { randomBytes } from "node:crypto";
import { Cluster, Redis } from "ioredis";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** The 3-master cluster scripts/ensure-services.sh starts on loopback. */
export const TEST_REDIS_CLUSTER_URL =
  process.env.TEST_REDIS_CLUSTER_URL ??
  "redis+cluster://127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003";

/** A unique key prefix per test file, so files run in parallel and leave nothing behind. */
export function uniquePrefix(label: string): string {
  return `t429:${label}:${randomBytes(4).toString("hex")}:`;
}

export interface TestRedis<C extends Redis | Cluster = Redis> {
  redis: C;
  prefix: string;
  /** Deletes every key under the prefix and closes the client. */
  cleanup(): Promise<void>;
}

export async function createTestRedis(label: string): Promise<TestRedis> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return withPrefix(redis, label);
}

/**
 * Seed nodes of TEST_REDIS_CLUSTER_URL (redis+cluster://host:port,host:port), read here
 * rather than by @429chain/redis, which tests with this package.
 */
function testClusterNodes(url = TEST_REDIS_CLUSTER_URL): { host: string; port: number }[] {
  const hosts = /^redis\+cluster:\/\/([^/?#]+)\/?$/.exec(url)?.[1];
  if (!hosts) throw new Error(`TEST_REDIS_CLUSTER_URL must be redis+cluster://host:port,…`);
  return hosts.split(",").map((node) => {
    const [host = "", port = "6379"] = node.split(":");
    return { host, port: Number(port) };
  });
}

/** A client of the test cluster, connected, with a prefix of its own. */
export async function createTestRedisCluster(label: string): Promise<TestRedis<Cluster>> {
  const redis = new Cluster(testClusterNodes(), {
    lazyConnect: true,
    redisOptions: { maxRetriesPerRequest: 1 },
  });
  await redis.connect();
  return withPrefix(redis, label);
}

function withPrefix<C extends Redis | Cluster>(redis: C, label: string): TestRedis<C> {
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

/** The servers that hold keys: the masters of a cluster, else the one server. */
function keyHolders(redis: Redis | Cluster): Redis[] {
  return redis instanceof Cluster ? redis.nodes("master") : [redis];
}

/** Every key under `prefix`, from every master of a cluster. */
export async function scanKeys(redis: Redis | Cluster, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for (const node of keyHolders(redis)) {
    let cursor = "0";
    do {
      const [next, batch] = await node.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== "0");
  }
  return keys;
}

/** SCAN MATCH pattern for keys starting with `text`. */
const startingWith = (text: string) => `${text.replace(/[*?[\]\\]/g, "\\$&")}*`;

/**
 * Deletes every key under `prefix`, and the BullMQ keys a cluster keeps under the prefix as a
 * hash tag (`{t429:x:1234}:request-logs:…`, see bullPrefix).
 */
export async function deleteKeys(redis: Redis | Cluster, prefix: string): Promise<void> {
  const patterns = [startingWith(prefix)];
  if (redis instanceof Cluster) patterns.push(startingWith(`{${prefix.replace(/:$/, "")}}`));
  for (const node of keyHolders(redis)) {
    for (const pattern of patterns) {
      let cursor = "0";
      do {
        const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", 500);
        cursor = next;
        // One DEL per key: a cluster refuses a DEL of keys in different slots, even on one node.
        if (keys.length > 0) await node.pipeline(keys.map((key) => ["del", key])).exec();
      } while (cursor !== "0");
    }
  }
}

/** A Redis deployment a test runs against: its name, its REDIS_URL, a client for the test. */
type RedisBackend = readonly [
  name: string,
  url: string,
  open: (label: string) => Promise<TestRedis<Redis | Cluster>>,
];

/** One server and the test cluster, for `describe.each`: what must work on both. */
export const REDIS_BACKENDS: readonly RedisBackend[] = [
  ["one Redis", TEST_REDIS_URL, createTestRedis],
  ["a Redis Cluster", TEST_REDIS_CLUSTER_URL, createTestRedisCluster],
];
