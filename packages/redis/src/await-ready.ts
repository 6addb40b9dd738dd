import { isCluster, type RedisClient } from "./redis-client";

/**
 * Waits, at most `timeoutMs`, until `redis` can serve commands: the connection is ready and,
 * on a cluster, every master's own connection is open (a cluster reports ready once it knows
 * the slots, before it has connected to each node). A gateway that started serving before
 * this would keep its first requests' quota state to itself. False when the time ran out;
 * the caller starts degraded and the client keeps reconnecting.
 */
export async function awaitReady(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (redis.status !== "ready") {
    if (redis.status === "end" || Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!isCluster(redis)) return true;
  const left = Math.max(deadline - Date.now(), 1);
  const pings = Promise.all(redis.nodes("master").map((node) => node.ping()));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), left);
  });
  try {
    return await Promise.race([pings.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
