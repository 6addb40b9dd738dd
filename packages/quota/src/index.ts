export {
  createQuotaKeys,
  DEFAULT_KEY_PREFIX,
  entryScopeId,
  providerScopeId,
  type QuotaKeys,
  scopeIdOf,
} from "./keys";
export { WINDOWED_LIMITS, type WindowedLimit, windowedLimitsOf } from "./limits";
export { createMemoryQuotaStore, MemoryKv, type MemoryQuotaStoreOptions } from "./memory-store";
export {
  createRedisClient,
  type RedisClientOptions,
  type RedisRole,
  reconnectDelay,
} from "./redis-client";
export { createRedisQuotaStore, type RedisQuotaStoreOptions } from "./redis-store";
export { createResilientQuotaStore, type ResilientQuotaStoreOptions } from "./resilient-store";
export type * from "./types";
