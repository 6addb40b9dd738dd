import type { Socket } from "node:net";
import { isCluster, type RedisClient } from "./redis-client";

interface Held {
  sockets: Socket[];
  /** Waiters of writesSent, told once the held commands are handed to the sockets. */
  sent: (() => void)[];
}

/** Clients whose sockets are corked until the end of this event-loop turn. */
const corked = new Map<RedisClient, Held>();

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
 * run (setImmediate). Under load the requests served in one turn share a syscall instead of
 * paying one per script call; a lone request waits only for the rest of its own turn.
 */
export function coalesceWrites(redis: RedisClient): void {
  if (corked.has(redis)) return;
  const sockets = socketsOf(redis);
  if (sockets.length === 0) return;
  corked.set(redis, { sockets, sent: [] });
  for (const s of sockets) s.cork();
  setImmediate(() => flushWrites(redis));
}

/** Sends what coalesceWrites holds back now, instead of at the end of the turn. */
function flushWrites(redis: RedisClient): void {
  const held = corked.get(redis);
  if (!held) return;
  corked.delete(redis);
  for (const s of held.sockets) s.uncork();
  for (const told of held.sent) told();
}

/**
 * Resolves once every command sent to `redis` so far has been handed to its sockets (at once
 * when nothing is held back): for something that must not leave the process before them, such
 * as the answer a settle belongs to.
 */
export function writesSent(redis: RedisClient): Promise<void> {
  const held = corked.get(redis);
  if (!held) return Promise.resolve();
  return new Promise((resolve) => held.sent.push(resolve));
}
