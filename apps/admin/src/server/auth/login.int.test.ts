import { createUser, setUserDisabled } from "@429chain/db";
import { type OpenTestDb, openTestDb } from "@429chain/db/testing";
import { createTestRedis, type TestRedis } from "@429chain/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LOGIN_FAILED, type LoginDeps, logIn } from "./login";
import {
  createMemoryLoginRateLimiter,
  createRedisLoginRateLimiter,
  LOGIN_LIMITS,
  type LoginRateLimiter,
} from "./login-rate-limit";

const PASSWORD = "a long enough password";

describe("login", () => {
  let t: OpenTestDb;
  let redis: TestRedis;
  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_login");
    redis = await createTestRedis("admin-login");
  });
  afterAll(async () => {
    await redis.cleanup();
    await t.cleanup();
  });

  const limiters: [string, () => LoginRateLimiter][] = [
    ["redis", () => createRedisLoginRateLimiter(redis.redis, `${redis.prefix}${Math.random()}:`)],
    ["memory", () => createMemoryLoginRateLimiter()],
  ];

  describe.each(limiters)("with the %s rate limiter", (_name, makeLimiter) => {
    let deps: LoginDeps;
    beforeEach(async () => {
      await t.reset();
      await createUser(t.db, { email: "ada@example.com", password: PASSWORD, role: "admin" }, "t");
      deps = { db: t.db, limiter: makeLimiter(), sessionMaxMs: 3_600_000 };
    });
    const client = { ip: "203.0.113.7", userAgent: "vitest" };

    it("opens a session for the right password and refuses others alike", async () => {
      const ok = await logIn(deps, { email: "ADA@example.com", password: PASSWORD }, client);
      expect(ok).toMatchObject({ ok: true, user: { email: "ada@example.com", role: "admin" } });
      const wrong = await logIn(deps, { email: "ada@example.com", password: "nope" }, client);
      const unknown = await logIn(deps, { email: "eve@example.com", password: PASSWORD }, client);
      expect(wrong).toEqual({ ok: false, status: 401, error: LOGIN_FAILED });
      expect(unknown).toEqual(wrong);
    });

    it("refuses a disabled user with the same message", async () => {
      await createUser(t.db, { email: "bob@example.com", password: PASSWORD, role: "viewer" }, "t");
      const bob = await logIn(deps, { email: "bob@example.com", password: PASSWORD }, client);
      expect(bob.ok).toBe(true);
      if (!bob.ok) return;
      await setUserDisabled(t.db, bob.user.id, true, "t");
      const again = await logIn(deps, { email: "bob@example.com", password: PASSWORD }, client);
      expect(again).toEqual({ ok: false, status: 401, error: LOGIN_FAILED });
    });

    it("locks an account after too many attempts, even with the right password", async () => {
      const { limit } = LOGIN_LIMITS.account;
      for (let i = 0; i < limit; i++) {
        const ip = `198.51.100.${i}`;
        const r = await logIn(
          deps,
          { email: "ada@example.com", password: "guess" },
          { ...client, ip },
        );
        expect(r).toMatchObject({ status: 401 });
      }
      const locked = await logIn(deps, { email: "ada@example.com", password: PASSWORD }, client);
      expect(locked).toMatchObject({ ok: false, status: 429 });
      expect(locked.ok ? "" : locked.error).toMatch(
        /^Too many login attempts: try again in 15 minutes\.$/,
      );
      const other = await logIn(deps, { email: "eve@example.com", password: "x" }, client);
      expect(other).toMatchObject({ status: 401 });
    });

    it("limits one address across accounts", async () => {
      const { limit } = LOGIN_LIMITS.ip;
      for (let i = 0; i < limit; i++) {
        await logIn(deps, { email: `user${i}@example.com`, password: "guess" }, client);
      }
      const blocked = await logIn(deps, { email: "ada@example.com", password: PASSWORD }, client);
      expect(blocked).toMatchObject({ ok: false, status: 429 });
      const elsewhere = await logIn(
        deps,
        { email: "ada@example.com", password: PASSWORD },
        { ...client, ip: "192.0.2.1" },
      );
      expect(elsewhere.ok).toBe(true);
      // Fifty password checks at ~50 ms of scrypt each on a shared CPU.
    }, 120_000);
  });

  it("keeps Redis counts under the key prefix and expiring", async () => {
    const prefix = `${redis.prefix}ttl:`;
    const limiter = createRedisLoginRateLimiter(redis.redis, prefix);
    await limiter.attempt("ada@example.com", "203.0.113.7");
    const keys = await redis.redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).not.toContain("ada@example.com");
      expect(await redis.redis.ttl(key)).toBeGreaterThan(0);
    }
  });
});
