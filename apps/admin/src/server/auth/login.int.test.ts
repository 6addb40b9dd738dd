import { auditLog, createUser, setUserDisabled } from "@429chain/db";
import { type OpenTestDb, openTestDb } from "@429chain/db/testing";
import { createTestRedis, createTestRedisCluster, type TestRedis } from "@429chain/testing";
import { asc } from "drizzle-orm";
import type { Cluster } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER } from "../../lib/client-address";
import { parseTrustedProxies, type TrustedProxies } from "../../lib/trusted-proxies";
import { LOGIN_FAILED, type LoginDeps, logIn } from "./login";
import {
  createMemoryLoginRateLimiter,
  createRedisLoginRateLimiter,
  LOGIN_LIMITS,
  LOGIN_SLOWDOWN,
  type LoginRateLimiter,
} from "./login-rate-limit";

const PASSWORD = "a long enough password";
const OWNER_ADDRESS = "192.0.2.10";

function trusted(text: string): TrustedProxies {
  const parsed = parseTrustedProxies(text);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.value;
}

/** The client a request names once its headers went through lib/client-address.ts. */
function clientOf(headers: Record<string, string>, proxies: TrustedProxies) {
  return { ip: clientAddress(new Headers(headers), proxies), userAgent: "vitest" };
}

describe("login", () => {
  let t: OpenTestDb;
  let redis: TestRedis;
  let cluster: TestRedis<Cluster>;
  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_login");
    redis = await createTestRedis("admin-login");
    cluster = await createTestRedisCluster("admin-login");
  });
  afterAll(async () => {
    await redis.cleanup();
    await cluster.cleanup();
    await t.cleanup();
  });

  const limiters: [string, () => LoginRateLimiter][] = [
    ["redis", () => createRedisLoginRateLimiter(redis.redis, `${redis.prefix}${Math.random()}:`)],
    [
      "redis cluster",
      () => createRedisLoginRateLimiter(cluster.redis, `${cluster.prefix}${Math.random()}:`),
    ],
    ["memory", () => createMemoryLoginRateLimiter()],
  ];

  describe.each(limiters)("with the %s rate limiter", (_name, makeLimiter) => {
    let deps: LoginDeps;
    /** Every wait logIn asked for, in order: the slow-down without spending the time. */
    let waits: number[];
    beforeEach(async () => {
      await t.reset();
      await createUser(t.db, { email: "ada@example.com", password: PASSWORD, role: "admin" }, "t");
      waits = [];
      deps = {
        db: t.db,
        limiter: makeLimiter(),
        sessionMaxMs: 3_600_000,
        wait: async (ms) => {
          waits.push(ms);
        },
      };
    });
    const client = { ip: OWNER_ADDRESS, userAgent: "vitest" };
    const loginAudits = async () =>
      (await t.db.select().from(auditLog).orderBy(asc(auditLog.id))).filter(
        (a) => a.target === "login",
      );

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

    it("lets the owner in from their address while an attacker fails from many others", async () => {
      const attempts = LOGIN_LIMITS.accountAddress.limit * 3;
      for (let i = 0; i < attempts; i++) {
        const r = await logIn(
          deps,
          { email: "ada@example.com", password: `guess ${i}` },
          { ...client, ip: `198.51.100.${i}` },
        );
        expect(r).toMatchObject({ status: 401 });
      }
      // Slowed, not locked: the waits grow with the failures and stop at the cap.
      const free = LOGIN_SLOWDOWN.freeFailures;
      // Attempt i sees i earlier failures; the first `free` of them cost no wait.
      expect(waits).toHaveLength(attempts - free - 1);
      expect(waits.slice(0, 3)).toEqual([250, 500, 1000]);
      expect(waits.every((w, i) => i === 0 || w >= waits[i - 1]!)).toBe(true);
      expect(Math.max(...waits)).toBe(LOGIN_SLOWDOWN.maxDelayMs);

      const owner = await logIn(deps, { email: "ada@example.com", password: PASSWORD }, client);
      expect(owner).toMatchObject({ ok: true, user: { email: "ada@example.com" } });
      expect(waits.at(-1)).toBe(LOGIN_SLOWDOWN.maxDelayMs);

      const audits = await loginAudits();
      expect(audits).toHaveLength(attempts - free);
      expect(new Set(audits.map((a) => `${a.actor} ${a.action}`))).toEqual(
        new Set(["ada@example.com login.slowed"]),
      );
      expect(audits[0]!.after).toEqual({
        address: `198.51.100.${free + 1}`,
        delayMs: 250,
        accountFailures: free + 1,
      });
      expect(audits.at(-1)!.after).toMatchObject({ address: OWNER_ADDRESS });
      expect(JSON.stringify(audits)).not.toContain("guess");
      expect(JSON.stringify(audits)).not.toContain(PASSWORD);
    }, 60_000);

    it("refuses one address on one account after too many attempts, audited", async () => {
      const attacker = { ...client, ip: "203.0.113.66" };
      const { limit } = LOGIN_LIMITS.accountAddress;
      for (let i = 0; i < limit; i++) {
        const r = await logIn(deps, { email: "ada@example.com", password: "guess" }, attacker);
        expect(r).toMatchObject({ status: 401 });
      }
      const refused = await logIn(deps, { email: "ada@example.com", password: PASSWORD }, attacker);
      expect(refused).toEqual({
        ok: false,
        status: 429,
        error: "Too many login attempts: try again in 15 minutes.",
      });
      // The same address may still try other accounts, and the owner is not locked out.
      const other = await logIn(deps, { email: "eve@example.com", password: "x" }, attacker);
      expect(other).toMatchObject({ status: 401 });
      const owner = await logIn(deps, { email: "ada@example.com", password: PASSWORD }, client);
      expect(owner.ok).toBe(true);

      const refusals = (await loginAudits()).filter((a) => a.action === "login.refused");
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatchObject({
        actor: "ada@example.com",
        after: { address: "203.0.113.66", limit: "account_address" },
      });
      expect(
        (refusals[0]!.after as { retryAfterSeconds: number }).retryAfterSeconds,
      ).toBeGreaterThan(0);
    }, 60_000);

    it("counts a client that spoofs X-Forwarded-For by its socket address", async () => {
      const direct = trusted("");
      const { limit } = LOGIN_LIMITS.accountAddress;
      for (let i = 0; i <= limit; i++) {
        const spoofed = clientOf(
          { [PEER_ADDRESS_HEADER]: "203.0.113.66", "x-forwarded-for": `198.51.100.${i}` },
          direct,
        );
        expect(spoofed.ip).toBe("203.0.113.66");
        const r = await logIn(deps, { email: "ada@example.com", password: "guess" }, spoofed);
        expect(r).toMatchObject({ status: i < limit ? 401 : 429 });
      }
      const owner = clientOf({ [PEER_ADDRESS_HEADER]: OWNER_ADDRESS }, direct);
      const ok = await logIn(deps, { email: "ada@example.com", password: PASSWORD }, owner);
      expect(ok.ok).toBe(true);
    }, 60_000);

    it("behind a trusted proxy, counts the hop it appended, not what the client wrote", async () => {
      const lb = trusted("10.0.0.0/8");
      const { limit } = LOGIN_LIMITS.accountAddress;
      for (let i = 0; i <= limit; i++) {
        const viaProxy = clientOf(
          {
            [PEER_ADDRESS_HEADER]: "10.0.0.2",
            "x-forwarded-for": `${OWNER_ADDRESS}, 172.16.0.${i}, 203.0.113.66`,
          },
          lb,
        );
        expect(viaProxy.ip).toBe("203.0.113.66");
        const r = await logIn(deps, { email: "ada@example.com", password: "guess" }, viaProxy);
        expect(r).toMatchObject({ status: i < limit ? 401 : 429 });
      }
      const owner = clientOf(
        { [PEER_ADDRESS_HEADER]: "10.0.0.3", "x-forwarded-for": OWNER_ADDRESS },
        lb,
      );
      const ok = await logIn(deps, { email: "ada@example.com", password: PASSWORD }, owner);
      expect(ok).toMatchObject({ ok: true });
    }, 60_000);

    it("limits one address across accounts", async () => {
      const { limit } = LOGIN_LIMITS.address;
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
      expect((await loginAudits()).at(-1)).toMatchObject({
        action: "login.refused",
        after: { address: OWNER_ADDRESS, limit: "address" },
      });
      // Fifty password checks at ~50 ms of scrypt each on a shared CPU.
    }, 120_000);

    it("counts attempts of unknown origin together", async () => {
      const unknown = { ip: null, userAgent: "vitest" };
      const { limit } = LOGIN_LIMITS.accountAddress;
      for (let i = 0; i < limit; i++) {
        await logIn(deps, { email: "ada@example.com", password: "guess" }, unknown);
      }
      const refused = await logIn(deps, { email: "ada@example.com", password: PASSWORD }, unknown);
      expect(refused).toMatchObject({ status: 429 });
      expect((await loginAudits()).at(-1)).toMatchObject({ after: { address: "unknown" } });
    }, 60_000);
  });

  it("keeps Redis counts under the key prefix and expiring", async () => {
    const prefix = `${redis.prefix}ttl:`;
    const limiter = createRedisLoginRateLimiter(redis.redis, prefix);
    await limiter.attempt("ada@example.com", "203.0.113.7");
    await limiter.failed("ada@example.com");
    const keys = await redis.redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(3);
    for (const key of keys) {
      expect(key).not.toContain("ada@example.com");
      expect(key).not.toContain("203.0.113.7");
      expect(await redis.redis.ttl(key)).toBeGreaterThan(0);
    }
  });
});
