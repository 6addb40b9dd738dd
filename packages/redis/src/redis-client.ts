import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import { parseRedisUrl, type RedisTarget } from "./redis-url";

/** A connection to one server (or a Sentinel-managed master) or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

export type RedisRole = "gateway" | "worker" | "api";

export interface RedisClientOptions {
  role: RedisRole;
  /** CLIENT SETNAME, to tell replicas apart in CLIENT LIST. */
  name?: string;
  /** Connection errors (the client keeps reconnecting); counted in metrics by the caller. */
  onError?: (err: Error) => void;
  /**
   * Overrides for tests and one-shot tools; the role's policy wins for anything not given here.
   * On a cluster, lazyConnect and enableOfflineQueue apply to the cluster, retryStrategy
   * becomes its clusterRetryStrategy and the rest applies to every node connection.
   */
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

/**
 * ioredis Cluster takes connection options per node under `redisOptions`, and the offline
 * queue, lazy connect and reconnection of the cluster as a whole at the top level.
 */
function clusterOptionsOf(options: RedisOptions): ClusterOptions {
  // Auto-pipelining is left off on a cluster: it batches per slot and lost the order of a
  // settle and the acquire after it, which cross-replica cooldowns depend on.
  const {
    lazyConnect,
    enableOfflineQueue,
    enableAutoPipelining: _ap,
    retryStrategy,
    ...node
  } = options;
  // Per-node settings ioredis Cluster does not accept (it connects nodes itself).
  const { host: _h, port: _p, path: _path, sentinels: _s, readOnly: _r, ...redisOptions } = node;
  return {
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    clusterRetryStrategy: retryStrategy ?? null,
    redisOptions,
  };
}

function authOf(target: Exclude<RedisTarget, { kind: "single" }>): RedisOptions {
  return {
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
}

function connect(target: RedisTarget, options: RedisOptions): RedisClient {
  switch (target.kind) {
    case "single":
      return new Redis(target.url, options);
    case "cluster":
      return new Cluster(target.nodes, clusterOptionsOf({ ...authOf(target), ...options }));
    case "sentinel":
      return new Redis({
        ...authOf(target),
        sentinels: target.sentinels,
        name: target.masterName,
        db: target.db,
        ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
        ...(target.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        ...options,
      });
  }
}

/**
 * The one place Redis connection policy is decided. `url` is any REDIS_URL form (one server,
 * a cluster, sentinels); the role's options apply to whichever client that needs.
 */
export function createRedisClient(url: string, options: RedisClientOptions): RedisClient {
  const parsed = parseRedisUrl(url);
  // env.ts validated it; a bad URL here is a bug in the caller.
  if (!parsed.ok) throw new Error(`REDIS_URL ${parsed.error}`);
  const redis = connect(parsed.target, {
    ...ROLE_OPTIONS[options.role],
    connectionName: options.name,
    ...options.overrides,
  });
  // Without a listener an 'error' event would crash the process; ioredis reconnects by itself.
  redis.on("error", (err: Error) => options.onError?.(err));
  return redis;
}

/** Whether `redis` is a Redis Cluster client (ioredis marks both kinds with `isCluster`). */
export function isCluster(redis: RedisClient): redis is Cluster {
  return (redis as { isCluster?: boolean }).isCluster === true;
}
