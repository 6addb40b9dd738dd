import type { RedisClient } from "@429chain/redis";
import { DEFAULT_KEY_PREFIX, queueKeys } from "../keys";
import { joinedAt, type QueueStats } from "./types";

/**
 * A queue's depth and oldest waiter, read without joining the queue's pub/sub (the admin's
 * view). Tickets of a replica that died count until a gateway's next change sweeps them.
 */
export async function readQueueStats(
  redis: RedisClient,
  queue: string,
  prefix = DEFAULT_KEY_PREFIX,
): Promise<QueueStats> {
  const { fifo } = queueKeys(prefix, queue);
  const [depth, head] = await Promise.all([redis.zcard(fifo), redis.zrange(fifo, "0", "0")]);
  const first = head[0];
  return { depth, oldestAt: first === undefined ? null : joinedAt(first) };
}
