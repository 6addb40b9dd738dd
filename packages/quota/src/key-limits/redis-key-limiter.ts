import type { Redis } from "ioredis";
import { createQuotaKeys, DEFAULT_KEY_PREFIX } from "../keys";
import { keyPeriods } from "./periods";
import type { ClientKeyLimits, KeyAdmission, KeyLimiter } from "./types";

// Budgets are checked before the rate window so a request refused for budget does not also
// use up a request of the minute.
const ADMIT_SCRIPT = `
local rpm, daily, monthly = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
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
return {'ok', '0'}
`;

const ADMIT = "keyLimitAdmit";
type AdmitCommand = Record<
  typeof ADMIT,
  (...keysThenArgs: (string | number)[]) => Promise<[string, string]>
>;

export function createRedisKeyLimiter(opts: {
  redis: Redis;
  prefix?: string;
  now?: () => number;
}): KeyLimiter {
  const { redis } = opts;
  const keys = createQuotaKeys(opts.prefix ?? DEFAULT_KEY_PREFIX);
  const now = opts.now ?? Date.now;
  redis.defineCommand(ADMIT, { numberOfKeys: 3, lua: ADMIT_SCRIPT });
  const scripts = redis as unknown as AdmitCommand;

  return {
    async admit(key: ClientKeyLimits): Promise<KeyAdmission> {
      const p = keyPeriods(now());
      const [verdict, retryAt] = await scripts[ADMIT](
        keys.clientKeyBucket(key.id, "rpm", p.minute.id),
        keys.clientKeyBucket(key.id, "day", p.day.id),
        keys.clientKeyBucket(key.id, "month", p.month.id),
        key.rpm ?? 0,
        key.dailyTokens ?? 0,
        key.monthlyTokens ?? 0,
        p.minute.end,
        p.day.end,
        p.month.end,
      );
      if (verdict === "ok") return { ok: true };
      return {
        ok: false,
        reason: verdict as "rate_limited" | "budget_exceeded",
        retryAt: Number(retryAt),
      };
    },
    async record(key: ClientKeyLimits, tokens: number): Promise<void> {
      if (tokens <= 0 || (key.dailyTokens === null && key.monthlyTokens === null)) return;
      const at = now();
      const p = keyPeriods(at);
      const day = keys.clientKeyBucket(key.id, "day", p.day.id);
      const month = keys.clientKeyBucket(key.id, "month", p.month.id);
      await redis
        .pipeline()
        .incrby(day, tokens)
        .pexpire(day, p.day.end - at + 3_600_000)
        .incrby(month, tokens)
        .pexpire(month, p.month.end - at + 3_600_000)
        .exec();
    },
  };
}
