import type { Table } from "../bench-types";
import { summarize } from "../stats";
import type { ClientOutcome, QueuePlace } from "./freeday-judge";

export interface QueueFigures {
  /** Requests served after waiting in the queue. */
  served: number;
  waitP50Ms: number | null;
  waitP99Ms: number | null;
  /** Pairs of consecutive tickets (arrival order across replicas) leased out of order. */
  outOfOrder: number;
  /** Pairs of consecutive tickets compared. */
  pairs: number;
  /** The most a later ticket's lease came before the earlier one's. */
  worstLeadMs: number;
}

/**
 * What the fair queue did: how many it served and how long they waited, and whether leases
 * went out first in, first out: in ticket order (the queue's running number, shared by both
 * replicas), each lease no earlier than the one before.
 */
export function queueFigures(outcomes: readonly ClientOutcome[]): QueueFigures {
  const places = outcomes
    .flatMap((o) => (o.queued ? [o.queued] : []))
    .sort((a, b) => a.ticket - b.ticket);
  const leasedAt = (p: QueuePlace) => p.joinedAt + p.waitMs;
  let outOfOrder = 0;
  let worstLeadMs = 0;
  for (let i = 1; i < places.length; i++) {
    const lead = leasedAt(places[i - 1] as QueuePlace) - leasedAt(places[i] as QueuePlace);
    if (lead > 0) outOfOrder++;
    worstLeadMs = Math.max(worstLeadMs, lead);
  }
  const waits = summarize(places.map((p) => p.waitMs));
  return {
    served: places.length,
    waitP50Ms: places.length > 0 ? waits.p50 : null,
    waitP99Ms: places.length > 0 ? waits.p99 : null,
    outOfOrder,
    pairs: Math.max(0, places.length - 1),
    worstLeadMs,
  };
}

export function fifoVerdict(q: QueueFigures): string {
  if (q.pairs === 0) return "n/a (fewer than two served from the queue)";
  return q.outOfOrder === 0
    ? `yes (${q.pairs} consecutive pairs, none out of order)`
    : `no (${q.outOfOrder} of ${q.pairs} consecutive pairs out of order, by at most ${q.worstLeadMs} ms)`;
}

export function queueTable(q: QueueFigures): Table {
  const ms = (v: number | null) => (v === null ? "-" : `${Math.round(v)} ms`);
  return {
    title: "freeday: the fair queue (queue mode variant, two replicas)",
    headers: ["figure", "value"],
    rows: [
      ["requests served from the queue", String(q.served)],
      ["their wait p50", ms(q.waitP50Ms)],
      ["their wait p99", ms(q.waitP99Ms)],
      ["leases in arrival order across replicas (FIFO)", fifoVerdict(q)],
    ],
  };
}
