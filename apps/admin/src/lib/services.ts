import "server-only";
import { createDb, type Db, type DbHandle } from "@429chain/db";
import { createRedisClient, publishConfigVersion, type RedisClient } from "@429chain/redis";
import {
  createMemoryLoginRateLimiter,
  createRedisLoginRateLimiter,
  createResilientLoginRateLimiter,
  type LoginRateLimiter,
} from "../server/auth/login-rate-limit";
import { adminEnv } from "./env";

// Next.js has no composition root, so the process-wide clients live here. They hang off
// globalThis so that dev-mode module reloads reuse them instead of leaking pools.
interface Services {
  db?: Promise<DbHandle>;
  redis?: RedisClient | null;
  loginLimiter?: LoginRateLimiter;
}
const globalServices = globalThis as typeof globalThis & { __429chainAdmin?: Services };
globalServices.__429chainAdmin ??= {};
const services: Services = globalServices.__429chainAdmin;

export function getDb(): Promise<Db> {
  services.db ??= createDb({ url: adminEnv().DATABASE_URL, pool: { max: 10 } });
  return services.db.then((handle) => handle.db);
}

/** null without REDIS_URL. */
export function getRedis(): RedisClient | null {
  if (services.redis === undefined) {
    const url = adminEnv().REDIS_URL;
    services.redis = url
      ? createRedisClient(url, {
          role: "api",
          name: "429chain-admin",
          onError: (err) => console.warn(`admin: redis connection error: ${err.message}`),
        })
      : null;
  }
  return services.redis;
}

/**
 * Tells gateway replicas that config `version` is committed. Without Redis, or when Redis
 * fails, they still pick it up at their next version poll, so a failure is only a warning.
 */
export async function publishConfigChanged(version: number): Promise<void> {
  const redis = getRedis();
  if (!redis) return;
  try {
    await publishConfigVersion(redis, adminEnv().REDIS_KEY_PREFIX, version);
  } catch (err) {
    console.warn(
      `admin: config version ${version} is saved, but announcing it on Redis failed ` +
        `(${(err as Error).message}); gateways will notice at their next version poll`,
    );
  }
}

/** Shared through Redis when there is one; per process otherwise or while Redis is down. */
export function getLoginRateLimiter(): LoginRateLimiter {
  if (!services.loginLimiter) {
    const redis = getRedis();
    const memory = createMemoryLoginRateLimiter();
    services.loginLimiter = redis
      ? createResilientLoginRateLimiter({
          primary: createRedisLoginRateLimiter(redis, adminEnv().REDIS_KEY_PREFIX),
          fallback: memory,
          primaryHealth: () => (redis.status === "ready" ? "ok" : "degraded"),
          warn: (message) => console.warn(message),
        })
      : memory;
  }
  return services.loginLimiter;
}

/** Closes the pool and the Redis client; the next call to a getter opens new ones. */
export async function closeServices(): Promise<void> {
  const { db, redis } = services;
  services.db = undefined;
  services.redis = undefined;
  services.loginLimiter = undefined;
  redis?.disconnect();
  await (await db)?.close();
}
