import { createRedisClient, isCluster } from "@429chain/redis";
import { TEST_REDIS_URL } from "@429chain/testing";
import type { Redis } from "ioredis";

export interface RedisCounters {
  /** EVALSHA and EVAL calls: one per script round trip. */
  scripts: number;
  /** Server time spent in those scripts, microseconds. */
  scriptUsec: number;
  /** Every command the servers ran, Lua-internal ones included, from every client. */
  all: number;
  /** Server time of every command, microseconds (INFO commandstats: no I/O, no parsing). */
  allUsec: number;
  /** CPU the Redis processes used, user + system, seconds (INFO cpu: I/O included). */
  cpuSeconds: number;
  /** Servers summed: 1, or the masters of a cluster. */
  servers: number;
}

const SCRIPT_COMMANDS = new Set(["evalsha", "evalsha_ro", "eval", "eval_ro"]);

function addInfo(totals: RedisCounters, info: string): void {
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    const calls = Number(match[2]);
    const usec = Number(match[3]);
    totals.all += calls;
    totals.allUsec += usec;
    if (SCRIPT_COMMANDS.has(match[1] ?? "")) {
      totals.scripts += calls;
      totals.scriptUsec += usec;
    }
  }
  for (const match of info.matchAll(/^used_cpu_(?:sys|user):([\d.]+)/gm)) {
    totals.cpuSeconds += Number(match[1]);
  }
}

/**
 * Reads INFO commandstats and cpu of the Redis at `url`, summed over a cluster's masters. The
 * counters are server-wide, so other clients add noise: the redis scenario runs on a server of
 * its own.
 */
export async function readRedisCounters(url: string = TEST_REDIS_URL): Promise<RedisCounters> {
  const redis = createRedisClient(url, { role: "api", overrides: { lazyConnect: true } });
  try {
    await redis.connect();
    const servers: Redis[] = isCluster(redis) ? redis.nodes("master") : [redis];
    const totals: RedisCounters = {
      scripts: 0,
      scriptUsec: 0,
      all: 0,
      allUsec: 0,
      cpuSeconds: 0,
      servers: servers.length,
    };
    for (const server of servers) addInfo(totals, await server.info("commandstats", "cpu"));
    return totals;
  } finally {
    redis.disconnect();
  }
}

/** after - before, field by field. */
export function counterDelta(before: RedisCounters, after: RedisCounters): RedisCounters {
  return {
    scripts: after.scripts - before.scripts,
    scriptUsec: after.scriptUsec - before.scriptUsec,
    all: after.all - before.all,
    allUsec: after.allUsec - before.allUsec,
    cpuSeconds: after.cpuSeconds - before.cpuSeconds,
    servers: after.servers,
  };
}
