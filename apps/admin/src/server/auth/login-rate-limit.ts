import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** Fixed windows: at most `limit` attempts per `windowSeconds` for one account or address. */
export interface WindowLimit {
  limit: number;
  windowSeconds: number;
}

export const LOGIN_LIMITS = {
  // Guessing one account's password is what this stops; a typo-prone human needs a few.
  account: { limit: 10, windowSeconds: 15 * 60 },
  // An office behind one NAT logs in from one address: looser than per account.
  ip: { limit: 50, windowSeconds: 15 * 60 },
} as const satisfies Record<string, WindowLimit>;

export type LoginCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface LoginRateLimiter {
  /** Counts an attempt for the account and the address, then says whether it may proceed. */
  attempt(email: string, ip: string | null): Promise<LoginCheck>;
  /** A successful login clears the account's count (not the address's). */
  succeeded(email: string): Promise<void>;
}

interface Counter {
  key: string;
  rule: WindowLimit;
}

function countersOf(keyPrefix: string, email: string, ip: string | null): Counter[] {
  // Hashed so that keys carry neither addresses nor emails in readable form.
  const digest = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 32);
  const counters: Counter[] = [{ key: accountKey(keyPrefix, email), rule: LOGIN_LIMITS.account }];
  if (ip) counters.push({ key: `${keyPrefix}admin:login:ip:${digest(ip)}`, rule: LOGIN_LIMITS.ip });
  return counters;
}

function accountKey(keyPrefix: string, email: string): string {
  const digest = createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
  return `${keyPrefix}admin:login:account:${digest.slice(0, 32)}`;
}

function verdict(results: { count: number; ttlSeconds: number; rule: WindowLimit }[]): LoginCheck {
  const over = results.filter((r) => r.count > r.rule.limit);
  if (over.length === 0) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, ...over.map((r) => r.ttlSeconds)) };
}

/** Counts shared by every admin replica: INCR, and EXPIRE NX starts each window. */
export function createRedisLoginRateLimiter(redis: Redis, keyPrefix: string): LoginRateLimiter {
  return {
    async attempt(email, ip) {
      const counters = countersOf(keyPrefix, email, ip);
      const multi = redis.multi();
      for (const { key, rule } of counters) {
        multi.incr(key).expire(key, rule.windowSeconds, "NX").ttl(key);
      }
      const replies = (await multi.exec()) ?? [];
      const results = counters.map((c, i) => {
        const [incrErr, count] = replies[i * 3]!;
        if (incrErr) throw incrErr;
        return { count: Number(count), ttlSeconds: Number(replies[i * 3 + 2]![1]), rule: c.rule };
      });
      return verdict(results);
    },
    async succeeded(email) {
      await redis.del(accountKey(keyPrefix, email));
    },
  };
}

/** One process's counts, for a console run without Redis. */
export function createMemoryLoginRateLimiter(now: () => number = Date.now): LoginRateLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  return {
    async attempt(email, ip) {
      const at = now();
      const results = countersOf("", email, ip).map(({ key, rule }) => {
        let window = windows.get(key);
        if (!window || window.endsAt <= at) {
          window = { count: 0, endsAt: at + rule.windowSeconds * 1000 };
          windows.set(key, window);
        }
        window.count += 1;
        return { count: window.count, ttlSeconds: Math.ceil((window.endsAt - at) / 1000), rule };
      });
      for (const [key, window] of windows) if (window.endsAt <= at) windows.delete(key);
      return verdict(results);
    },
    async succeeded(email) {
      windows.delete(accountKey("", email));
    },
  };
}

/** Redis when it answers; this process's counts while it does not. */
export function createResilientLoginRateLimiter(
  primary: LoginRateLimiter,
  fallback: LoginRateLimiter,
  warn: (message: string) => void,
): LoginRateLimiter {
  const guarded =
    <A extends unknown[], R>(run: (limiter: LoginRateLimiter, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await run(primary, ...args);
      } catch (err) {
        warn(`admin: login rate limit falls back to this process: ${(err as Error).message}`);
        return run(fallback, ...args);
      }
    };
  return {
    attempt: guarded((l, email: string, ip: string | null) => l.attempt(email, ip)),
    succeeded: guarded((l, email: string) => l.succeeded(email)),
  };
}
