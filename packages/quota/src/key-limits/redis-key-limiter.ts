import type { RedisClient } from "@429chain/redis";
import { createQuotaKeys, DEFAULT_KEY_PREFIX } from "../keys";
import { keyPeriods } from "./periods";
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

// Reconciles a reservation; never below zero (a reservation expired with its day).
const SETTLE_SCRIPT = `
for i = 1, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 and redis.call('INCRBY', KEYS[i], ARGV[1]) < 0 then
    redis.call('SET', KEYS[i], '0', 'KEEPTTL')
  end
end
return 0
`;

const ADMIT = "keyLimitAdmit";
const SETTLE = "keyLimitSettle";
type Commands = Record<
  typeof ADMIT,
  (...keysThenArgs: (string | number)[]) => Promise<[string, string]>
> &
  Record<typeof SETTLE, (...keysThenArgs: (string | number)[]) => Promise<number>>;

/** Budget counters outlive their period by an hour, for late reconciliations. */
const GRACE_MS = 3_600_000;

export function createRedisKeyLimiter(opts: {
  /** One server or a cluster: one key's counters share a hash tag (see keys.ts). */
  redis: RedisClient;
  prefix?: string;
  now?: () => number;
}): KeyLimiter {
  const { redis } = opts;
  const keys = createQuotaKeys(opts.prefix ?? DEFAULT_KEY_PREFIX);
  const now = opts.now ?? Date.now;
  redis.defineCommand(ADMIT, { numberOfKeys: 3, lua: ADMIT_SCRIPT });
  redis.defineCommand(SETTLE, { numberOfKeys: 2, lua: SETTLE_SCRIPT });
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
      return {
        ok: true,
        async settle(used) {
          const delta = Math.ceil(used) - reserved;
          if (delta !== 0) await scripts[SETTLE](day, month, delta);
        },
      };
    },
  };
}
