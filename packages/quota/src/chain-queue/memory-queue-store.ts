import type { JoinResult, QueueMessage, QueueStats, QueueStore } from "./types";
import { joinedAt } from "./types";

/** The queue store of a gateway without Redis: one process, the same semantics. */
export function createMemoryQueueStore(): QueueStore {
  const queues = new Map<string, string[]>();
  const listeners: Array<(m: QueueMessage) => void> = [];
  const numbers = new Map<string, number>();
  const of = (queue: string) => queues.get(queue) ?? [];
  const publish = (queue: string, run: string[], before: string | undefined) => {
    const list = of(queue);
    if (list.length === 0) queues.delete(queue);
    const after = list[0];
    const message: QueueMessage = {
      queue,
      depth: list.length,
      run,
      head: after !== undefined && after !== before ? after : null,
    };
    // Delivered asynchronously, as pub/sub is.
    queueMicrotask(() => {
      for (const listener of listeners) listener(message);
    });
  };
  return {
    async join(queue, ticket, max): Promise<JoinResult> {
      const list = of(queue);
      if (list.length >= max) return { ok: false, depth: list.length };
      const before = list[0];
      list.push(ticket);
      queues.set(queue, list);
      publish(queue, [], before);
      const number = (numbers.get(queue) ?? 0) + 1;
      numbers.set(queue, number);
      return { ok: true, rank: list.length - 1, depth: list.length, number };
    },
    async leave(queue, ticket) {
      const list = of(queue);
      const at = list.indexOf(ticket);
      if (at < 0) return;
      const before = list[0];
      list.splice(at, 1);
      publish(queue, [], before);
    },
    async rank(queue, ticket) {
      const at = of(queue).indexOf(ticket);
      return at < 0 ? null : at;
    },
    async wakeAfter(queue, ticket) {
      const list = of(queue);
      const at = list.indexOf(ticket);
      const next = at < 0 ? undefined : list[at + 1];
      if (next !== undefined) publish(queue, [next], list[0]);
    },
    async wakeHead(queue) {
      const head = of(queue)[0];
      if (head !== undefined) publish(queue, [head], head);
    },
    async touch() {},
    async stats(queue): Promise<QueueStats> {
      const list = of(queue);
      const head = list[0];
      return { depth: list.length, oldestAt: head === undefined ? null : joinedAt(head) };
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    async close() {
      listeners.length = 0;
    },
  };
}
