import { keyPeriods } from "./periods";
import {
  GRACE_MS,
  type RedisPeriodCountersOptions,
  redisPeriodCounters,
} from "./redis-period-counters";
import {
  type ClientKeyLimits,
  hasBudgets,
  type KeyAdmission,
  type KeyLimiter,
  reservationOf,
  SETTLED,
} from "./types";

// Budgets are checked before the rate window so a request refused for budget does not also
// use up a request of the minute; the reservation is added in the same call, so parallel
// requests on any replica see it. A reservation of -1: the key has no budgets.
const ADMIT_SCRIPT = `
local rpm, daily, monthly, reserve = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[7])
if daily > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= daily then
  return {'budget_exceeded', ARGV[5]}
end
if monthly > 0 and tonumber(redis.call('GET', KEYS[3]) or '0') >= monthly then
  return {'budget_exceeded', ARGV[6]}
end
if rpm > 0 then
  local n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('PEXPIRE', KEYS[1], 120000) end
  if n > rpm then return {'rate_limited', ARGV[4]} end
end
if reserve >= 0 then
  redis.call('INCRBY', KEYS[2], reserve)
  redis.call('PEXPIRE', KEYS[2], ARGV[8])
  redis.call('INCRBY', KEYS[3], reserve)
  redis.call('PEXPIRE', KEYS[3], ARGV[9])
end
return {'ok', '0'}
`;

const ADMIT = "keyLimitAdmit";
type Commands = Record<
  typeof ADMIT,
  (...keysThenArgs: (string | number)[]) => Promise<[string, string]>
>;

export function createRedisKeyLimiter(opts: RedisPeriodCountersOptions): KeyLimiter {
  const { redis, keys, now, settleDayAndMonth } = redisPeriodCounters(opts);
  redis.defineCommand(ADMIT, { numberOfKeys: 3, lua: ADMIT_SCRIPT });
  const scripts = redis as unknown as Commands;

  return {
    async admit(key: ClientKeyLimits, estimatedTokens: number): Promise<KeyAdmission> {
      const at = now();
      const p = keyPeriods(at);
      const reserved = reservationOf(key, estimatedTokens);
      const day = keys.clientKeyBucket(key.id, "day", p.day.id);
      const month = keys.clientKeyBucket(key.id, "month", p.month.id);
      const [verdict, retryAt] = await scripts[ADMIT](
        keys.clientKeyBucket(key.id, "rpm", p.minute.id),
        day,
        month,
        key.rpm ?? 0,
        key.dailyTokens ?? 0,
        key.monthlyTokens ?? 0,
        p.minute.end,
        p.day.end,
        p.month.end,
        hasBudgets(key) ? reserved : -1,
        p.day.end - at + GRACE_MS,
        p.month.end - at + GRACE_MS,
      );
      if (verdict !== "ok") {
        return {
          ok: false,
          reason: verdict as "rate_limited" | "budget_exceeded",
          retryAt: Number(retryAt),
        };
      }
      if (!hasBudgets(key)) return { ok: true, settle: SETTLED };
      return { ok: true, settle: settleDayAndMonth(day, month, reserved) };
    },
  };
}
