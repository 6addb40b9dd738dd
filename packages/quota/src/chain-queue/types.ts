/**
 * One FIFO of waiting requests per queue (a chain, or the provider of a direct request),
 * shared by every replica. Members are tickets; a replica wakes only the tickets a message
 * names, so nothing polls.
 */
export interface QueueMessage {
  queue: string;
  /** Waiters in the queue after the change. */
  depth: number;
  /** Tickets to run the waterfall now. */
  run: string[];
  /** The new head, when the head changed: it owns the timer for the next reset. */
  head: string | null;
}

export type JoinResult =
  | {
      ok: true;
      rank: number;
      depth: number;
      /** The queue's running number of the ticket: the order of arrival across replicas. */
      number: number;
    }
  | { ok: false; depth: number };

export interface QueueStats {
  depth: number;
  /** When the oldest waiter joined (null: none waits). */
  oldestAt: number | null;
}

export interface QueueStore {
  /** Appends the ticket unless `max` already wait; its rank (0: head). */
  join(queue: string, ticket: string, max: number): Promise<JoinResult>;
  /** Removes the ticket (served, gave up or gone); a new head is told. */
  leave(queue: string, ticket: string): Promise<void>;
  /** The ticket's rank (null: no longer queued); renews its liveness. */
  rank(queue: string, ticket: string): Promise<number | null>;
  /** Wakes the ticket behind this one: capacity was enough for this one, maybe for it too. */
  wakeAfter(queue: string, ticket: string): Promise<void>;
  /** Wakes the head: capacity was returned. */
  wakeHead(queue: string): Promise<void>;
  /** Renews the liveness of tickets this replica still holds. */
  touch(queue: string, tickets: readonly string[]): Promise<void>;
  stats(queue: string): Promise<QueueStats>;
  /** Messages of every queue, from every replica. */
  subscribe(listener: (message: QueueMessage) => void): void;
  close(): Promise<void>;
}

/** Tickets start with their join time (base 36), so the oldest waiter's age needs no lookup. */
export function newTicket(now: number, unique: string): string {
  return `${now.toString(36)}.${unique}`;
}

export function joinedAt(ticket: string): number | null {
  const at = Number.parseInt(ticket.split(".")[0] ?? "", 36);
  return Number.isFinite(at) ? at : null;
}
