import type { Socket } from "node:net";
import { isCluster, type RedisClient } from "./redis-client";

/** Clients whose sockets are corked until the end of this event-loop turn. */
const corked = new Map<RedisClient, Socket[]>();

function socketsOf(redis: RedisClient): Socket[] {
  const clients = isCluster(redis) ? redis.nodes("master") : [redis];
  const sockets: Socket[] = [];
  for (const c of clients) {
    const stream = (c as { stream?: Socket }).stream;
    if (stream && !stream.destroyed) sockets.push(stream);
  }
  return sockets;
}

/**
 * Commands sent to `redis` from now until the end of this event-loop turn leave in one write
 * per connection: the sockets are corked now and uncorked once the turn's I/O callbacks have
 * run (setImmediate), or earlier by flushWrites. Under load the requests served in one turn
 * share a syscall instead of paying one per script call; a lone request waits only for the
 * rest of its own turn.
 */
export function coalesceWrites(redis: RedisClient): void {
  if (corked.has(redis)) return;
  const sockets = socketsOf(redis);
  if (sockets.length === 0) return;
  corked.set(redis, sockets);
  for (const s of sockets) s.cork();
  setImmediate(() => flushWrites(redis));
}

/**
 * Sends what coalesceWrites holds back now: for a command whose effect must reach Redis before
 * something else leaves the process (a settle, before the answer it belongs to).
 */
export function flushWrites(redis: RedisClient): void {
  const sockets = corked.get(redis);
  if (!sockets) return;
  corked.delete(redis);
  for (const s of sockets) s.uncork();
}
