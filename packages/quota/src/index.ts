export type { AffinityStore } from "./affinity/affinity-store";
export {
  createMemoryAffinityStore,
  type MemoryAffinityStoreOptions,
} from "./affinity/memory-affinity-store";
export { createRedisAffinityStore } from "./affinity/redis-affinity-store";
export { createResilientAffinityStore } from "./affinity/resilient-affinity-store";
export { createFailClosedSpendBudgets } from "./budgets/fail-closed-spend-budgets";
export { createMemorySpendBudgets } from "./budgets/memory-spend-budgets";
export { createRedisSpendBudgets } from "./budgets/redis-spend-budgets";
export type * from "./budgets/types";
export { hasSpendLimits, NO_SPEND_LIMITS } from "./budgets/types";
export { createMemoryQueueStore } from "./chain-queue/memory-queue-store";
export { readQueueStats } from "./chain-queue/read-queue-stats";
export { createRedisQueueStore, TICKET_TTL_MS } from "./chain-queue/redis-queue-store";
export type * from "./chain-queue/types";
export { joinedAt, newTicket } from "./chain-queue/types";
export { entryPolicyOf } from "./entry-policy";
export { createFailover, type Failover, type FailoverOptions } from "./failover";
export { createMemoryKeyLimiter } from "./key-limits/memory-key-limiter";
export { createRedisKeyLimiter } from "./key-limits/redis-key-limiter";
export { createResilientKeyLimiter } from "./key-limits/resilient-key-limiter";
export type * from "./key-limits/types";
export { hasKeyLimits } from "./key-limits/types";
export {
  createQuotaKeys,
  DEFAULT_KEY_PREFIX,
  entryScopeId,
  providerScopeId,
  type QuotaKeys,
  queueChannel,
  queueKeys,
} from "./keys";
export { buildLedger, type LedgerInput } from "./ledger/build-ledger";
export { addBurn, BURN_TAU_MS, burnRateOf, parseBurn, type StoredBurn } from "./ledger/burn-rate";
export {
  chainLedger,
  entryLedger,
  type LedgerChainInput,
  type LedgerEntryInput,
} from "./ledger/ledger";
export { WINDOWED_LIMITS, type WindowedLimit, windowedLimitsOf } from "./limits";
export { createMemoryQuotaStore, MemoryKv, type MemoryQuotaStoreOptions } from "./memory-store";
export {
  createRedisStateReader,
  type QuotaStateReader,
  type RedisStateReaderOptions,
} from "./redis-state-reader";
export { createRedisQuotaStore, type RedisQuotaStoreOptions } from "./redis-store";
export { createResilientQuotaStore, type ResilientQuotaStoreOptions } from "./resilient-store";
export type * from "./types";
