import { keyPeriods } from "../key-limits/periods";
import {
  GRACE_MS,
  type RedisPeriodCountersOptions,
  redisPeriodCounters,
} from "../key-limits/redis-period-counters";
import type { SpendBudgets, SpendLimits, SpendReservation } from "./types";

// Limits of -1: none. Refuses when a window's limit is reached or the reservation would pass
// it; else counts the reservation in both windows in the same step (see types.ts).
const RESERVE_SCRIPT = `
local micros, daily, monthly = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local day = tonumber(redis.call('GET', KEYS[1]) or '0')
if daily >= 0 and (day >= daily or day + micros > daily) then return 'day' end
local month = tonumber(redis.call('GET', KEYS[2]) or '0')
if monthly >= 0 and (month >= monthly or month + micros > monthly) then return 'month' end
redis.call('INCRBY', KEYS[1], micros)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('INCRBY', KEYS[2], micros)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 'ok'
`;

const RESERVE = "spendReserve";
type Commands = Record<typeof RESERVE, (...keysThenArgs: (string | number)[]) => Promise<string>>;

export function createRedisSpendBudgets(opts: RedisPeriodCountersOptions): SpendBudgets {
  const { redis, keys, now, settleDayAndMonth } = redisPeriodCounters(opts);
  redis.defineCommand(RESERVE, { numberOfKeys: 2, lua: RESERVE_SCRIPT });
  const scripts = redis as unknown as Commands;

  return {
    async reserve(scope: string, limits: SpendLimits, micros: number): Promise<SpendReservation> {
      const at = now();
      const p = keyPeriods(at);
      const day = keys.spendBucket(scope, "day", p.day.id);
      const month = keys.spendBucket(scope, "month", p.month.id);
      const verdict = await scripts[RESERVE](
        day,
        month,
        micros,
        limits.dailyMicros ?? -1,
        limits.monthlyMicros ?? -1,
        p.day.end - at + GRACE_MS,
        p.month.end - at + GRACE_MS,
      );
      if (verdict === "day" || verdict === "month") {
        const retryAt = verdict === "day" ? p.day.end : p.month.end;
        return { ok: false, reason: "spent", window: verdict, retryAt };
      }
      return { ok: true, settle: settleDayAndMonth(day, month, micros) };
    },
    async spent(scope) {
      const p = keyPeriods(now());
      const [day, month] = await Promise.all([
        redis.get(keys.spendBucket(scope, "day", p.day.id)),
        redis.get(keys.spendBucket(scope, "month", p.month.id)),
      ]);
      return { dayMicros: Number(day ?? 0), monthMicros: Number(month ?? 0) };
    },
  };
}
