import type { Cluster } from "ioredis";
import { keySlot } from "./key-slot";
import { isCluster, type RedisClient } from "./redis-client";

/** One single-key command: its name, its key, then its other arguments. */
export type KeyedCommand = readonly [name: string, key: string, ...args: (string | number)[]];

/** Pipeline replies are [err, value] pairs; a failed command must reject the whole call. */
export function unwrapPipeline(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error("redis pipeline returned no results");
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

async function execPipeline(redis: RedisClient, commands: readonly KeyedCommand[]) {
  return unwrapPipeline(await redis.pipeline(commands.map((c) => [...c])).exec());
}

/** The node that serves a key's slot, or the slot itself before the slot map is known. */
function nodeOf(redis: Cluster, key: string): string {
  const slot = keySlot(key);
  return redis.slots[slot]?.join(",") ?? `slot:${slot}`;
}

/**
 * Independent commands in as few round trips as the deployment allows, replies in command
 * order: one pipeline on one server; on a cluster one pipeline per node that owns some of the
 * keys (ioredis refuses a pipeline spanning nodes), all sent at once.
 */
export async function pipelineByNode(
  redis: RedisClient,
  commands: readonly KeyedCommand[],
): Promise<unknown[]> {
  if (commands.length === 0) return [];
  if (!isCluster(redis)) return execPipeline(redis, commands);
  // ioredis holds a cluster pipeline until the slot map is known, offline queue or not; a
  // client that must not wait (the gateway's) fails it now, as it fails single commands.
  if (redis.slots.length === 0 && redis.options.enableOfflineQueue === false) {
    throw new Error("Cluster isn't ready and enableOfflineQueue options is false");
  }
  const groups = new Map<string, number[]>();
  commands.forEach((c, i) => {
    const node = nodeOf(redis, c[1]);
    const group = groups.get(node);
    if (group) group.push(i);
    else groups.set(node, [i]);
  });
  const replies = new Array<unknown>(commands.length);
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      const results = await execPipeline(
        redis,
        indexes.map((i) => commands[i]!),
      );
      indexes.forEach((at, j) => {
        replies[at] = results[j];
      });
    }),
  );
  return replies;
}
