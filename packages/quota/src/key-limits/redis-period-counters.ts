import type { RedisClient } from "@429chain/redis";
import { createQuotaKeys, DEFAULT_KEY_PREFIX, type QuotaKeys } from "../keys";

/** What the Redis key limiter and spend budgets are built from. */
export interface RedisPeriodCountersOptions {
  /** One server or a cluster: one scope's counters share a hash tag (see keys.ts). */
  redis: RedisClient;
  prefix?: string;
  now?: () => number;
}

/** Day and month counters outlive their period by an hour, for late settles. */
export const GRACE_MS = 3_600_000;

// Replaces a reservation in the day and month counters with the actual amount; never below
// zero (a reservation that expired with its day).
const SETTLE_SCRIPT = `
for i = 1, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 and redis.call('INCRBY', KEYS[i], ARGV[1]) < 0 then
    redis.call('SET', KEYS[i], '0', 'KEEPTTL')
  end
end
return 0
`;
const SETTLE = "periodCountersSettle";
type SettleCommand = Record<
  typeof SETTLE,
  (day: string, month: string, delta: number) => Promise<number>
>;

export interface RedisPeriodCounters {
  redis: RedisClient;
  keys: QuotaKeys;
  now: () => number;
  /** The settle of a reservation of `reserved` counted in the `day` and `month` keys. */
  settleDayAndMonth(day: string, month: string, reserved: number): (used: number) => Promise<void>;
}

export function redisPeriodCounters(opts: RedisPeriodCountersOptions): RedisPeriodCounters {
  const { redis } = opts;
  redis.defineCommand(SETTLE, { numberOfKeys: 2, lua: SETTLE_SCRIPT });
  const settle = (redis as unknown as SettleCommand)[SETTLE].bind(redis);
  return {
    redis,
    keys: createQuotaKeys(opts.prefix ?? DEFAULT_KEY_PREFIX),
    now: opts.now ?? Date.now,
    settleDayAndMonth: (day, month, reserved) => async (used) => {
      const delta = Math.ceil(used) - reserved;
      if (delta !== 0) await settle(day, month, delta);
    },
  };
}
