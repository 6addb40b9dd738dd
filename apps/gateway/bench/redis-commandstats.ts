import { TEST_REDIS_URL } from "@429chain/testing";
import { Redis } from "ioredis";

export interface CommandCalls {
  /** EVALSHA and EVAL calls: one per script round trip. */
  scripts: number;
  /** Server time spent in those scripts, microseconds. */
  scriptUsec: number;
  /** Every command the server ran, Lua-internal ones included, from every client. */
  all: number;
}

const SCRIPT_COMMANDS = new Set(["evalsha", "evalsha_ro", "eval", "eval_ro"]);

/** Reads INFO commandstats; the counters are server-wide, so other clients add noise. */
export async function readCommandCalls(): Promise<CommandCalls> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const info = await redis.info("commandstats");
    const totals: CommandCalls = { scripts: 0, scriptUsec: 0, all: 0 };
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
      const calls = Number(match[2]);
      totals.all += calls;
      if (SCRIPT_COMMANDS.has(match[1] ?? "")) {
        totals.scripts += calls;
        totals.scriptUsec += Number(match[3]);
      }
    }
    return totals;
  } finally {
    redis.disconnect();
  }
}
