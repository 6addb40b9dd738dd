import { Redis, type RedisOptions } from "ioredis";

export type RedisRole = "gateway" | "worker" | "api";

export interface RedisClientOptions {
  role: RedisRole;
  /** CLIENT SETNAME, to tell replicas apart in CLIENT LIST. */
  name?: string;
  /** Connection errors (the client keeps reconnecting); counted in metrics by the caller. */
  onError?: (err: Error) => void;
  /** Overrides for tests; the role's policy wins for anything not given here. */
  overrides?: Partial<RedisOptions>;
}

/** Reconnect forever with capped exponential backoff, jittered so replicas don't stampede. */
export function reconnectDelay(times: number): number {
  return Math.min(50 * 2 ** Math.min(times, 10), 2_000) + Math.floor(Math.random() * 100);
}

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  // The gateway never blocks a request on Redis: fail fast and serve from local state instead.
  gateway: {
    commandTimeout: 300,
    connectTimeout: 2_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: reconnectDelay,
  },
  // BullMQ needs blocking commands that wait out a Redis restart.
  worker: {
    connectTimeout: 5_000,
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelay,
  },
  // A web request (admin console) may wait briefly for a (re)connect, but never hangs on a
  // Redis outage: queued commands fail after one reconnect attempt or the command timeout.
  api: {
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
  },
};

/** The one place Redis connection policy is decided. */
export function createRedisClient(url: string, options: RedisClientOptions): Redis {
  const redis = new Redis(url, {
    ...ROLE_OPTIONS[options.role],
    connectionName: options.name,
    ...options.overrides,
  });
  // Without a listener an 'error' event would crash the process; ioredis reconnects by itself.
  redis.on("error", (err: Error) => options.onError?.(err));
  return redis;
}
