import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { createQuotaKeys, DEFAULT_KEY_PREFIX } from "./keys";
import { ACQUIRE_SCRIPT } from "./lua/acquire-script";
import { SETTLE_SCRIPT } from "./lua/settle-script";
import type { RawAcquireResult } from "./memory/acquire";
import { type AcquireSpec, type KeyedPlan, planAcquire, planSettle, type SettleSpec } from "./plan";
import { createRedisStateReader, unwrapPipeline as unwrap } from "./redis-state-reader";
import { toAcquireResult } from "./store-common";
import type { AcquireRequest, Lease, QuotaStore, SettleInput, SettleResult } from "./types";

export interface RedisQuotaStoreOptions {
  redis: Redis;
  /** Key prefix, e.g. per environment or per test file. Default "429chain:". */
  prefix?: string;
  now?: () => number;
}

const ACQUIRE_COMMAND = "quota429chainAcquire";
const SETTLE_COMMAND = "quota429chainSettle";

type ScriptArgs = (string | number)[];
/** The commands defineCommand adds; ioredis cannot type them itself. */
interface ScriptCommands {
  [ACQUIRE_COMMAND](...args: ScriptArgs): Promise<string>;
  [SETTLE_COMMAND](...args: ScriptArgs): Promise<number>;
}
interface ScriptPipeline {
  [ACQUIRE_COMMAND](...args: ScriptArgs): ScriptPipeline;
  [SETTLE_COMMAND](...args: ScriptArgs): ScriptPipeline;
}

function scriptArgs<T>(plan: KeyedPlan<T>): ScriptArgs {
  return [plan.keys.length, ...plan.keys, JSON.stringify(plan.spec)];
}

/**
 * Shared QuotaStore on Redis. acquire and settle are one Lua script each (one round trip, atomic
 * across replicas); settleAndAcquire pipelines both; entryStates is one pipeline of reads.
 * Scripts go through defineCommand, which sends EVALSHA and falls back to EVAL on NOSCRIPT.
 */
export function createRedisQuotaStore(options: RedisQuotaStoreOptions): QuotaStore {
  const { redis } = options;
  const now = options.now ?? Date.now;
  const keysOf = createQuotaKeys(options.prefix ?? DEFAULT_KEY_PREFIX);
  // No numberOfKeys: the key count varies with the chain, so it is passed first on every call.
  redis.defineCommand(ACQUIRE_COMMAND, { lua: ACQUIRE_SCRIPT });
  redis.defineCommand(SETTLE_COMMAND, { lua: SETTLE_SCRIPT });
  const scripts = redis as unknown as ScriptCommands;
  const reader = createRedisStateReader({ redis, prefix: keysOf.prefix, now });

  const prepareAcquire = (req: AcquireRequest) => {
    const at = now();
    const id = randomUUID();
    const plan: KeyedPlan<AcquireSpec> = planAcquire(keysOf, req, id, at);
    const finish = (reply: unknown) =>
      toAcquireResult(JSON.parse(String(reply)) as RawAcquireResult, req, id, at, plan.spec.est);
    return { args: scriptArgs(plan), finish };
  };
  const prepareSettle = (lease: Lease, input: SettleInput) => {
    const plan: KeyedPlan<SettleSpec> = planSettle(keysOf, lease, input, now());
    const finish = (reply: unknown): SettleResult => {
      const until = Number(reply);
      return { cooldownUntil: until > 0 ? until : null };
    };
    return { args: scriptArgs(plan), finish };
  };

  return {
    async acquire(req) {
      const call = prepareAcquire(req);
      return call.finish(await scripts[ACQUIRE_COMMAND](...call.args));
    },
    async settle(lease, input) {
      const call = prepareSettle(lease, input);
      return call.finish(await scripts[SETTLE_COMMAND](...call.args));
    },
    async settleAndAcquire(lease, input, req) {
      const s = prepareSettle(lease, input);
      const a = prepareAcquire(req);
      const pipeline = redis.pipeline();
      const p = pipeline as unknown as ScriptPipeline;
      p[SETTLE_COMMAND](...s.args)[ACQUIRE_COMMAND](...a.args);
      const [settled, acquired] = unwrap(await pipeline.exec());
      return [s.finish(settled), a.finish(acquired)];
    },
    entryStates: (entries) => reader.entryStates(entries),
    clearCooldown: (entry) => reader.clearCooldown(entry),
    health: () => (redis.status === "ready" ? "ok" : "degraded"),
    // The client belongs to the composition root, which closes it after everything using it.
    async close() {},
  };
}
