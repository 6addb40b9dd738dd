import { configChangedChannel } from "@429chain/contracts";
import type { Redis } from "ioredis";

export interface ConfigChangedListener {
  /** Resolves with the next message not yet taken, waiting for it when none is queued. */
  next(): Promise<string>;
  close(): void;
}

/** Subscribes on a duplicate of `redis` (a subscribed connection can issue nothing else). */
export async function listenForConfigChanged(
  redis: Redis,
  prefix: string,
): Promise<ConfigChangedListener> {
  const subscriber = redis.duplicate();
  const queued: string[] = [];
  const waiting: ((message: string) => void)[] = [];
  subscriber.on("message", (_channel: string, message: string) => {
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queued.push(message);
  });
  await subscriber.subscribe(configChangedChannel(prefix));
  return {
    next: () => {
      const message = queued.shift();
      if (message !== undefined) return Promise.resolve(message);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () => subscriber.disconnect(),
  };
}
