import type { Settings } from "@429chain/contracts";
import { newTicket, type QueueMessage, type QueueStats, type QueueStore } from "@429chain/quota";
import type { FastifyBaseLogger } from "fastify";
import { ClientGoneError, GatewayError, retryAfterSeconds } from "../errors";
import { Waiter } from "./queue-waiter";

/** A head runs this long after the reset it waits for, so it never runs a hair early. */
const WAKE_SLACK_MS = 50;
/** How often this replica renews its tickets (they lapse after TICKET_TTL_MS without). */
const TOUCH_MS = 10_000;

/** One request that may wait in its queue. */
export interface QueueRequest {
  settings: Settings;
  /** The queue: a chain's (`chain:<name>`) or a provider's for direct requests. */
  queue: string;
  signal: AbortSignal;
  /** When an entry frees, if known: the Retry-After of a refusal made without an attempt. */
  retryHint(): number | null;
  /** Called once, when the request starts waiting (a stream sends its headers then). */
  onWaiting?(): void;
  /** Installs the hook an attempt calls when it gets a lease (undefined: none). */
  setOnLease(hook: (() => void) | undefined): void;
  /** Called when the request is served after waiting: its place and its wait. */
  onServed?(served: QueueServed): void;
}

export interface QueueServed {
  /** The queue's running number of the request (the order of arrival, across replicas). */
  ticket: number;
  joinedAt: number;
  /** From joining until the lease of the attempt that served. */
  waitedMs: number;
}

export type QueueOutcome = "served" | "refused" | "timeout" | "gone" | "failed";

export interface QueueObserver {
  /** A request that waited left the queue after `waitedMs`. */
  left(queue: string, outcome: QueueOutcome, waitedMs: number): void;
}

interface WaitState {
  giveUpAt: number;
  /** Rank 0: this waiter owns the timer for the next reset. */
  head: boolean;
  /** The last attempt's 429 (none: joined behind others without trying). */
  refusal: GatewayError | undefined;
}

/**
 * `queueMode`: requests of an exhausted chain wait in one FIFO per queue shared by every
 * replica (the store), bounded by queueMaxSize in all. No waiter polls:
 * - the head sleeps until the earliest reset or cooldown end its last attempt reported, then
 *   runs the waterfall (a probe: nobody else runs yet); served, it leaves and the next
 *   becomes head and runs;
 * - a waiter that gets a lease wakes the one behind it (capacity was there, maybe for it too),
 *   so a reset serves as many waiters as it freed capacity for, in order; the first one still
 *   refused stops the cascade and keeps its place;
 * - a request that ends returns capacity: the head is woken (`freed`).
 * A request arriving while others wait joins behind them instead of trying first.
 */
export class QueueMode {
  private readonly waiters = new Map<string, Waiter>();
  /** Depth of each queue as last announced, so a request knows whether others wait. */
  private readonly depths = new Map<string, number>();
  private readonly touching: NodeJS.Timeout;
  private seq = 0;

  constructor(
    private readonly store: QueueStore,
    private readonly deps: { replicaId: string; log: FastifyBaseLogger; observer?: QueueObserver },
  ) {
    store.subscribe((m) => this.heard(m));
    this.touching = setInterval(() => this.touch(), TOUCH_MS);
    this.touching.unref();
  }

  async run<T>(req: QueueRequest, attempt: () => Promise<T>): Promise<T> {
    const { settings, queue } = req;
    if (!settings.queueMode) return attempt();
    let refusal: GatewayError | undefined;
    if (!this.othersWait(queue)) {
      try {
        return await attempt();
      } catch (err) {
        if (!isQuotaRefusal(err)) throw err;
        refusal = err;
      }
    }
    const joinedAt = Date.now();
    const giveUpAt = joinedAt + settings.queueMaxWaitMs;
    // The client's patience: a reset further away than it waits is a 429 now, not later.
    if (refusal?.retryAt !== undefined && refusal.retryAt > giveUpAt) throw refusal;
    const hinted = refusal ? null : req.retryHint();
    if (hinted !== null && hinted > giveUpAt) {
      throw this.refuse(req, `Others wait for '${queue}' until after this request would`);
    }
    const ticket = newTicket(joinedAt, `${this.deps.replicaId}.${++this.seq}`);
    let joined: Awaited<ReturnType<QueueStore["join"]>>;
    try {
      joined = await this.store.join(queue, ticket, settings.queueMaxSize);
    } catch (err) {
      this.deps.log.warn({ err, queue }, "queue store unreachable; not queueing");
      if (refusal) throw refusal;
      return attempt();
    }
    if (!joined.ok) throw refusal ?? this.refuse(req, `The queue of '${queue}' is full`);

    const waiter = new Waiter(queue);
    this.waiters.set(ticket, waiter);
    let outcome: QueueOutcome = "failed";
    try {
      const { value, leasedAt } = await this.wait(req, attempt, ticket, waiter, {
        giveUpAt,
        head: joined.rank === 0,
        refusal,
      });
      outcome = "served";
      req.onServed?.({ ticket: joined.number, joinedAt, waitedMs: leasedAt - joinedAt });
      return value;
    } catch (err) {
      outcome = outcomeOf(err, giveUpAt);
      throw err;
    } finally {
      this.waiters.delete(ticket);
      this.store.leave(queue, ticket).catch((err: unknown) => {
        this.deps.log.warn({ err, queue }, "could not leave the queue");
      });
      this.deps.observer?.left(queue, outcome, Date.now() - joinedAt);
    }
  }

  /** A request of `queue` ended: capacity it held is back, so the head may run. */
  freed(queue: string): void {
    if (!this.othersWait(queue)) return;
    this.store.wakeHead(queue).catch((err: unknown) => {
      this.deps.log.debug({ err, queue }, "could not wake the queue's head");
    });
  }

  stats(queue: string): Promise<QueueStats> {
    return this.store.stats(queue);
  }

  /** Requests waiting on this replica (for tests and metrics). */
  size(): number {
    return this.waiters.size;
  }

  /** Shutting down: every waiter here answers now (429, Retry-After) rather than hold the drain. */
  release(): void {
    for (const waiter of this.waiters.values()) waiter.wake("released");
  }

  async close(): Promise<void> {
    clearInterval(this.touching);
    await this.store.close();
  }

  private async wait<T>(
    req: QueueRequest,
    attempt: () => Promise<T>,
    ticket: string,
    waiter: Waiter,
    state: WaitState,
  ): Promise<{ value: T; leasedAt: number }> {
    const { queue, signal } = req;
    let { head, refusal } = state;
    let retryAt = refusal?.retryAt;
    // Joined behind others without trying: the head runs at once, the rest wait their turn.
    let run = refusal === undefined && head;
    let announced = false;
    for (;;) {
      // A head woken by its timer probes: the reset it expected may not have come for an
      // entry whose limits are unseen, so the ones behind it wait until it is served.
      let probing = false;
      if (!run) {
        if (!announced) {
          announced = true;
          req.onWaiting?.();
        }
        const timerAt = head && retryAt !== undefined ? retryAt + WAKE_SLACK_MS : undefined;
        const why = await waiter.wait({ signal, timerAt, giveUpAt: state.giveUpAt });
        if (why === "gone") throw new ClientGoneError();
        if (why === "released") {
          throw refusal ?? this.refuse(req, "This gateway replica is shutting down");
        }
        if (why === "deadline") {
          throw (
            refusal ?? this.refuse(req, `Waited ${req.settings.queueMaxWaitMs}ms in '${queue}'`)
          );
        }
        if (why === "head") {
          head = true;
          // It knows when the reset comes: it sleeps until then.
          if (retryAt !== undefined && retryAt > Date.now()) continue;
        }
        probing = why === "timer";
      }
      run = false;
      let leasedAt: number | undefined;
      req.setOnLease(() => {
        if (leasedAt !== undefined) return;
        leasedAt = Date.now();
        if (probing) return;
        this.store.wakeAfter(queue, ticket).catch((err: unknown) => {
          this.deps.log.debug({ err, queue }, "could not wake the next waiter");
        });
      });
      try {
        const value = await attempt();
        return { value, leasedAt: leasedAt ?? Date.now() };
      } catch (err) {
        if (!isQuotaRefusal(err)) throw err;
        refusal = err;
        retryAt = err.retryAt;
        if (retryAt !== undefined && retryAt > state.giveUpAt) throw err;
      } finally {
        req.setOnLease(undefined);
      }
      const rank = await this.store.rank(queue, ticket).catch(() => null);
      // Dropped from the queue (the store lost it): the client hears the 429 and retries.
      if (rank === null) throw refusal;
      head = rank === 0;
    }
  }

  private refuse(req: QueueRequest, why: string): GatewayError {
    const now = Date.now();
    const at = Math.max(req.retryHint() ?? 0, now + 1_000);
    return new GatewayError(
      "all_providers_exhausted",
      `${why}; retry after ${retryAfterSeconds(at, now)}s.`,
      { retryAt: at },
    );
  }

  private othersWait(queue: string): boolean {
    return (this.depths.get(queue) ?? 0) > 0;
  }

  private heard(m: QueueMessage): void {
    if (m.depth > 0) this.depths.set(m.queue, m.depth);
    else this.depths.delete(m.queue);
    for (const ticket of m.run) this.waiters.get(ticket)?.wake("run");
    if (m.head) this.waiters.get(m.head)?.wake("head");
  }

  private touch(): void {
    const byQueue = new Map<string, string[]>();
    for (const [ticket, waiter] of this.waiters) {
      const list = byQueue.get(waiter.queue) ?? [];
      list.push(ticket);
      byQueue.set(waiter.queue, list);
    }
    for (const [queue, tickets] of byQueue) {
      this.store.touch(queue, tickets).catch((err: unknown) => {
        this.deps.log.warn({ err, queue }, "could not renew queue tickets");
      });
    }
  }
}

function isQuotaRefusal(err: unknown): err is GatewayError {
  return (
    err instanceof GatewayError && err.code === "all_providers_exhausted" && err.status === 429
  );
}

function outcomeOf(err: unknown, giveUpAt: number): QueueOutcome {
  if (err instanceof ClientGoneError) return "gone";
  if (!isQuotaRefusal(err)) return "failed";
  return Date.now() >= giveUpAt ? "timeout" : "refused";
}
