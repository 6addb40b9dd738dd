import "server-only";
import { createHash } from "node:crypto";
import { createFailover } from "@429chain/quota";
import type { RedisClient } from "@429chain/redis";

/** Fixed windows: at most `limit` attempts per `windowSeconds`. */
interface WindowLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * Refusals are per address and per account+address pair, never per account alone: a limit
 * on the account would let anyone lock a named admin out by failing logins for them.
 */
export const LOGIN_LIMITS = {
  // One address guessing one account's password; a typo-prone human needs a few.
  accountAddress: { limit: 10, windowSeconds: 15 * 60 },
  // An office behind one NAT logs in from one address: looser than the pair.
  address: { limit: 50, windowSeconds: 15 * 60 },
} as const satisfies Record<string, WindowLimit>;

/**
 * Failures on one account from every address slow its logins down instead of locking it:
 * a guesser spread over many addresses waits, and the owner still gets in.
 */
export const LOGIN_SLOWDOWN = {
  windowSeconds: 15 * 60,
  // Answered at full speed: the owner's own typos.
  freeFailures: 5,
  baseDelayMs: 250,
  // Long enough to cost a guesser, short enough that the owner waits rather than gives up.
  maxDelayMs: 4_000,
} as const;

/** Counted when the client address is unknown, so such attempts share one budget. */
export const UNKNOWN_ADDRESS = "unknown";

type LoginRefusal = "address" | "account_address";

export type LoginCheck =
  | { allowed: true; delayMs: number; accountFailures: number }
  | { allowed: false; retryAfterSeconds: number; reason: LoginRefusal };

export interface LoginRateLimiter {
  /**
   * Counts an attempt for the account+address pair and the address, then says whether it may
   * proceed, and how long to wait first for the account's recent failures.
   */
  attempt(email: string, address: string): Promise<LoginCheck>;
  /** A wrong password: one more failure towards the account's slow-down. */
  failed(email: string): Promise<void>;
  /** A successful login clears the pair's count (not the address's, nor the failures). */
  succeeded(email: string, address: string): Promise<void>;
}

/** The wait before answering after `failures` recent failures on the account. */
export function slowdownDelayMs(failures: number): number {
  const { freeFailures, baseDelayMs, maxDelayMs } = LOGIN_SLOWDOWN;
  if (failures <= freeFailures) return 0;
  const doublings = Math.min(failures - freeFailures - 1, 30);
  return Math.min(maxDelayMs, baseDelayMs * 2 ** doublings);
}

// Hashed so that keys carry neither addresses nor emails in readable form.
const digest = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 32);
const account = (email: string) => email.trim().toLowerCase();

/**
 * One attempt counts the pair and the address and reads the account's failures in one
 * MULTI, which a Redis Cluster runs only on keys of one slot: every login key carries the same
 * hash tag. Logins are few, so one slot holds them all easily.
 */
const LOGIN_TAG = "{admin-login}";

function keysOf(prefix: string, email: string, address: string) {
  return {
    pair: `${prefix}${LOGIN_TAG}:account-address:${digest(`${account(email)}\n${address}`)}`,
    address: `${prefix}${LOGIN_TAG}:ip:${digest(address)}`,
    failures: failuresKey(prefix, email),
  };
}

function failuresKey(prefix: string, email: string): string {
  return `${prefix}${LOGIN_TAG}:account-failures:${digest(account(email))}`;
}

interface Counted {
  count: number;
  ttlSeconds: number;
}

function verdict(pair: Counted, address: Counted, failures: number): LoginCheck {
  const over: { reason: LoginRefusal; ttlSeconds: number }[] = [];
  if (address.count > LOGIN_LIMITS.address.limit) {
    over.push({ reason: "address", ttlSeconds: address.ttlSeconds });
  }
  if (pair.count > LOGIN_LIMITS.accountAddress.limit) {
    over.push({ reason: "account_address", ttlSeconds: pair.ttlSeconds });
  }
  if (over.length === 0) {
    return { allowed: true, delayMs: slowdownDelayMs(failures), accountFailures: failures };
  }
  const longest = over.reduce((a, b) => (b.ttlSeconds > a.ttlSeconds ? b : a));
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, longest.ttlSeconds),
    reason: longest.reason,
  };
}

/** Counts shared by every admin replica: INCR, and EXPIRE NX starts each window. */
export function createRedisLoginRateLimiter(
  redis: RedisClient,
  keyPrefix: string,
): LoginRateLimiter {
  return {
    async attempt(email, address) {
      const keys = keysOf(keyPrefix, email, address);
      const replies =
        (await redis
          .multi()
          .incr(keys.pair)
          .expire(keys.pair, LOGIN_LIMITS.accountAddress.windowSeconds, "NX")
          .ttl(keys.pair)
          .incr(keys.address)
          .expire(keys.address, LOGIN_LIMITS.address.windowSeconds, "NX")
          .ttl(keys.address)
          .get(keys.failures)
          .exec()) ?? [];
      for (const [err] of replies) if (err) throw err;
      const value = (i: number) => Number(replies[i]?.[1] ?? 0);
      return verdict(
        { count: value(0), ttlSeconds: value(2) },
        { count: value(3), ttlSeconds: value(5) },
        value(6),
      );
    },
    async failed(email) {
      const key = failuresKey(keyPrefix, email);
      const replies =
        (await redis.multi().incr(key).expire(key, LOGIN_SLOWDOWN.windowSeconds, "NX").exec()) ??
        [];
      for (const [err] of replies) if (err) throw err;
    },
    async succeeded(email, address) {
      await redis.del(keysOf(keyPrefix, email, address).pair);
    },
  };
}

/** One process's counts, for a console run without Redis. */
export function createMemoryLoginRateLimiter(now: () => number = Date.now): LoginRateLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  const live = (key: string, at: number) => {
    const window = windows.get(key);
    return window && window.endsAt > at ? window : undefined;
  };
  const count = (key: string, windowSeconds: number): Counted => {
    const at = now();
    let window = live(key, at);
    if (!window) {
      window = { count: 0, endsAt: at + windowSeconds * 1000 };
      windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, ttlSeconds: Math.ceil((window.endsAt - at) / 1000) };
  };
  const sweep = () => {
    const at = now();
    for (const [key, window] of windows) if (window.endsAt <= at) windows.delete(key);
  };
  return {
    async attempt(email, address) {
      sweep();
      const keys = keysOf("", email, address);
      const pair = count(keys.pair, LOGIN_LIMITS.accountAddress.windowSeconds);
      const byAddress = count(keys.address, LOGIN_LIMITS.address.windowSeconds);
      return verdict(pair, byAddress, live(keys.failures, now())?.count ?? 0);
    },
    async failed(email) {
      count(failuresKey("", email), LOGIN_SLOWDOWN.windowSeconds);
    },
    async succeeded(email, address) {
      windows.delete(keysOf("", email, address).pair);
    },
  };
}

/**
 * Redis when it answers; this process's counts while it does not, by the gateway's one
 * failover rule (packages/quota/src/failover.ts): after a failure Redis is skipped until it
 * reconnects or a second has passed, so a login never waits out a command timeout twice.
 */
export function createResilientLoginRateLimiter(options: {
  primary: LoginRateLimiter;
  fallback: LoginRateLimiter;
  primaryHealth: () => "ok" | "degraded";
  warn: (message: string) => void;
}): LoginRateLimiter {
  const { primary, fallback } = options;
  const failover = createFailover({
    primaryHealth: options.primaryHealth,
    onError: (err) =>
      options.warn(`admin: login rate limit falls back to this process: ${(err as Error).message}`),
  });
  return {
    attempt: (email, address) =>
      failover.run(
        () => primary.attempt(email, address),
        () => fallback.attempt(email, address),
      ),
    failed: (email) =>
      failover.run(
        () => primary.failed(email),
        () => fallback.failed(email),
      ),
    succeeded: (email, address) =>
      failover.run(
        () => primary.succeeded(email, address),
        () => fallback.succeeded(email, address),
      ),
  };
}
