import { randomUUID } from "node:crypto";
import {
  coalesceWrites,
  isCluster,
  type RedisClient,
  unwrapPipeline,
  writesSent,
} from "@429chain/redis";
import { createQuotaKeys, DEFAULT_KEY_PREFIX } from "./keys";
import { ACQUIRE_SCRIPT } from "./lua/acquire-script";
import { SETTLE_SCRIPT } from "./lua/settle-script";
import type { RawAcquireResult } from "./memory/acquire";
import { type KeyedPlan, planAcquire, planSettle, reservedTokensOf, type SettleSpec } from "./plan";
import { type ProviderRun, providerRuns } from "./provider-runs";
import { createRedisStateReader } from "./redis-state-reader";
import { skippedOf, toAcquireResult } from "./store-common";
import type {
  AcquireRequest,
  AcquireResult,
  Lease,
  QuotaStore,
  SettleInput,
  SettleResult,
} from "./types";

export interface RedisQuotaStoreOptions {
  /** One server (or a Sentinel-managed master) or a Redis Cluster. */
  redis: RedisClient;
  /** Key prefix, e.g. per environment or per test file. Default "429chain:". */
  prefix?: string;
  now?: () => number;
  /**
   * Try the chain one provider at a time, one script per provider (each on one slot), moving
   * on only when every entry of a provider is skipped. Required on a cluster and its default
   * there; on one server the whole chain is one script (one round trip however many entries
   * are skipped).
   */
  splitByProvider?: boolean;
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
 * Shared QuotaStore on Redis. settle is one Lua script; acquire is one script per provider
 * tried (see splitByProvider), so one round trip whenever the first provider serves. On one
 * server settleAndAcquire pipelines both; on a cluster it sends both at once (they may live on
 * different nodes). Scripts go through defineCommand: EVALSHA, falling back to EVAL on NOSCRIPT.
 */
export function createRedisQuotaStore(options: RedisQuotaStoreOptions): QuotaStore {
  const { redis } = options;
  const now = options.now ?? Date.now;
  const keysOf = createQuotaKeys(options.prefix ?? DEFAULT_KEY_PREFIX);
  const split = options.splitByProvider ?? isCluster(redis);
  // No numberOfKeys: the key count varies with the chain, so it is passed first on every call.
  redis.defineCommand(ACQUIRE_COMMAND, { lua: ACQUIRE_SCRIPT });
  redis.defineCommand(SETTLE_COMMAND, { lua: SETTLE_SCRIPT });
  const scripts = redis as unknown as ScriptCommands;
  const reader = createRedisStateReader({ redis, prefix: keysOf.prefix, now });

  const runsOf = (req: AcquireRequest): ProviderRun[] =>
    split ? providerRuns(req.entries) : [{ start: 0, entries: [...req.entries] }];

  /** One acquire: its runs' script calls, `send` the way each is sent. */
  const acquireWith = async (
    req: AcquireRequest,
    send: (args: ScriptArgs) => Promise<unknown>,
  ): Promise<AcquireResult> => {
    const at = now();
    const id = randomUUID();
    const est = reservedTokensOf(req);
    const skipped: RawAcquireResult["skipped"] = [];
    for (const run of runsOf(req)) {
      const plan = planAcquire(keysOf, { ...req, entries: run.entries }, id, at);
      const raw = JSON.parse(String(await send(scriptArgs(plan)))) as RawAcquireResult;
      for (const s of skippedOf(raw)) skipped.push({ ...s, index: s.index + run.start });
      if (raw.index >= 0) {
        return toAcquireResult({ ...raw, index: raw.index + run.start, skipped }, req, id, at, est);
      }
    }
    return toAcquireResult({ index: -1, skipped }, req, id, at, est);
  };
  const acquire = (req: AcquireRequest) =>
    acquireWith(req, (args) => {
      coalesceWrites(redis);
      return scripts[ACQUIRE_COMMAND](...args);
    });

  const prepareSettle = (lease: Lease, input: SettleInput) => {
    const plan: KeyedPlan<SettleSpec> = planSettle(keysOf, lease, input, now());
    const finish = (reply: unknown): SettleResult => {
      const until = Number(reply);
      return { cooldownUntil: until > 0 ? until : null };
    };
    return { args: scriptArgs(plan), finish };
  };
  const settle = async (lease: Lease, input: SettleInput) => {
    const call = prepareSettle(lease, input);
    coalesceWrites(redis);
    return call.finish(await scripts[SETTLE_COMMAND](...call.args));
  };

  return {
    acquire,
    settle,
    async settleAndAcquire(lease, input, req) {
      if (split) {
        // Both commands are written before either answer is awaited: one round trip when the
        // first provider serves. Commands to one node share its connection and keep their
        // order, so the settle is applied before the acquire wherever both touch one provider.
        return Promise.all([settle(lease, input), acquire(req)]);
      }
      // One server: the chain is one run, so this sends one pipeline of settle and acquire.
      const s = prepareSettle(lease, input);
      let settled: SettleResult | undefined;
      const acquired = await acquireWith(req, async (args) => {
        const pipeline = redis.pipeline();
        const p = pipeline as unknown as ScriptPipeline;
        p[SETTLE_COMMAND](...s.args)[ACQUIRE_COMMAND](...args);
        coalesceWrites(redis);
        const replies = unwrapPipeline(await pipeline.exec());
        settled = s.finish(replies[0]);
        return replies[1];
      });
      if (!settled) throw new Error("settleAndAcquire sent no settle");
      return [settled, acquired];
    },
    sent: () => writesSent(redis),
    entryStates: (entries) => reader.entryStates(entries),
    clearCooldown: (entry) => reader.clearCooldown(entry),
    health: () => (redis.status === "ready" ? "ok" : "degraded"),
    // The client belongs to the composition root, which closes it after everything using it.
    async close() {},
  };
}
