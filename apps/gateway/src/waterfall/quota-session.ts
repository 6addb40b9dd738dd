import type {
  AcquireRequest,
  AcquireResult,
  Lease,
  QuotaStore,
  SettleInput,
  SettleResult,
} from "@429chain/quota";
import type { FastifyBaseLogger } from "fastify";
import type { GatewayMetrics } from "../metrics";
import type { PendingSettles } from "./pending-settles";

export interface QuotaSessionDeps {
  quota: QuotaStore;
  settles: PendingSettles;
  metrics: GatewayMetrics;
  log: FastifyBaseLogger;
}

/**
 * The one owner of a request's quota lease. The waterfall and the relay report outcomes to
 * it; it settles each lease exactly once, whatever path the request takes:
 * - a failed attempt's settle rides on the next pick (settleAndAcquire, one round trip);
 * - the last outcome is settled when the request ends, off the response path;
 * - a lease still open at `close()` (an exception, a client gone, a bug) is released without
 *   judging the entry, so nothing leaks and nothing is blamed.
 */
export class QuotaSession {
  private lease: Lease | undefined;
  private outcome: SettleInput | undefined;
  private closed = false;
  private ended: Promise<unknown> = Promise.resolve();
  /** Called when a pick gets a lease (queue mode wakes the next waiter then). */
  onLease: (() => void) | undefined;
  /** Whether any pick got a lease: the request held capacity, returned when it ends. */
  leased = false;

  constructor(
    private readonly deps: QuotaSessionDeps,
    private readonly policy: SettleInput["policy"],
  ) {}

  /** Picks the next entry; the previous lease's outcome (if any) is settled in the same trip. */
  async acquire(
    req: AcquireRequest,
  ): Promise<{ settled: SettleResult | null; next: AcquireResult }> {
    if (this.closed) throw new Error("quota session used after close");
    const previous = this.take();
    let result: { settled: SettleResult | null; next: AcquireResult };
    if (previous) {
      const [settled, next] = await this.deps.quota.settleAndAcquire(
        previous.lease,
        previous.input,
        req,
      );
      result = { settled, next };
    } else {
      result = { settled: null, next: await this.deps.quota.acquire(req) };
    }
    if (result.next.ok) {
      this.lease = result.next.lease;
      this.leased = true;
      this.onLease?.();
    }
    return result;
  }

  /** Records what the current lease came to; settled with the next pick or at close. */
  report(input: SettleInput): void {
    if (!this.lease) throw new Error("quota session: outcome without a lease");
    this.outcome = input;
  }

  /** Settles the current lease now and waits (for a Retry-After that needs its cooldown). */
  async settleNow(): Promise<SettleResult | null> {
    const previous = this.take();
    return previous ? this.settleSafely(previous.lease, previous.input) : null;
  }

  /**
   * Ends the session: the current lease is settled in the background (tracked, so shutdown
   * waits for it), with its reported outcome or, if none was reported, released unjudged.
   * The settle's command is given to the store at once (a Redis store may hold it back to the
   * end of the event-loop turn, to send it with others). Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const previous = this.take();
    if (!previous) return;
    this.ended = this.settleSafely(previous.lease, previous.input);
    this.deps.settles.track(this.ended);
  }

  /**
   * close(), then waits until the settle has left for the store: the answer the caller sends
   * next cannot overtake it, so the client's next request, to any replica, is picked with it.
   */
  async closeBeforeAnswer(): Promise<void> {
    this.close();
    await this.deps.quota.sent();
  }

  /** Resolves once the lease open at close() is settled (its capacity back in the store). */
  async settled(): Promise<void> {
    await this.ended;
  }

  /** The open lease and its outcome, leaving the session without one. */
  private take(): { lease: Lease; input: SettleInput } | undefined {
    const lease = this.lease;
    if (!lease) return undefined;
    const input = this.outcome ?? {
      outcome: { kind: "cancelled" },
      windows: [],
      policy: this.policy,
    };
    this.lease = undefined;
    this.outcome = undefined;
    return { lease, input };
  }

  /** A settle that fails is counted and logged; it must never fail the request. */
  private async settleSafely(lease: Lease, input: SettleInput): Promise<SettleResult> {
    try {
      return await this.deps.quota.settle(lease, input);
    } catch (err) {
      this.deps.metrics.stateStoreErrors.inc();
      this.deps.log.warn({ err }, "quota settle failed");
      return { cooldownUntil: null };
    }
  }
}
