import type { ChainLedger, QuotaLedger } from "@429chain/contracts";
import type { QueueStats, QuotaStore } from "@429chain/quota";
import type { FastifyBaseLogger } from "fastify";
import type { ConfigSource } from "../config/config-source";
import type { KeyScope } from "../config/key-scope";
import type { QueueMode } from "../waterfall/queue-mode";
import { ledgerOfScope } from "./build-ledger";

/** How stale the remaining counts on responses may be. */
const REFRESH_MS = 1000;

/**
 * The quota ledger, on demand for GET /v1/quota and cached per replica for the remaining
 * counts every response carries. The cache is refreshed in the background at most once a
 * second, so a response never waits on it and the hot path adds no store round trip.
 */
export class LedgerView {
  private cached: { at: number; chains: Map<string, ChainLedger> } | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      config: ConfigSource;
      quota: QuotaStore;
      queue: QueueMode;
      log: FastifyBaseLogger;
    },
  ) {}

  async forScope(scope: KeyScope): Promise<QuotaLedger> {
    const [states, queues] = await Promise.all([
      this.deps.quota.entryStates(scope.entries.map((e) => e.policy)),
      this.queues(scope),
    ]);
    const now = Date.now();
    const ledger = ledgerOfScope(scope, states, this.deps.quota.health(), now);
    if (!queues) return ledger;
    const chains = ledger.chains.map((chain) => {
      const stats = queues.get(chain.name);
      if (!stats) return chain;
      const oldestWaitMs = stats.oldestAt === null ? null : Math.max(0, now - stats.oldestAt);
      return { ...chain, queue: { depth: stats.depth, oldestWaitMs } };
    });
    return { ...ledger, chains };
  }

  /** Each chain's queue by chain name, when queueMode is on. */
  private async queues(scope: KeyScope): Promise<Map<string, QueueStats> | undefined> {
    if (!this.deps.config.current().settings.queueMode) return undefined;
    const out = new Map<string, QueueStats>();
    await Promise.all(
      scope.chains.map(async (c) => {
        const stats = await this.deps.queue.stats(`chain:${c.name}`).catch(() => undefined);
        if (stats) out.set(c.name, stats);
      }),
    );
    return out;
  }

  /** A chain's ledger as of at most about a second ago; undefined until first computed. */
  chain(name: string): ChainLedger | undefined {
    const now = Date.now();
    if (!this.refreshing && (!this.cached || now - this.cached.at >= REFRESH_MS)) {
      this.refreshing = this.refresh().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.cached?.chains.get(name);
  }

  private async refresh(): Promise<void> {
    const snapshot = this.deps.config.current();
    try {
      const ledger = await this.forScope({
        chains: [...snapshot.chains.values()],
        entries: [...snapshot.entries],
      });
      this.cached = { at: ledger.at, chains: new Map(ledger.chains.map((c) => [c.name, c])) };
    } catch (err) {
      this.deps.log.debug({ err }, "could not refresh the quota ledger");
    }
  }
}
