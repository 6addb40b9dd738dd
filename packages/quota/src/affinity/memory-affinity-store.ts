import type { AffinityStore } from "./affinity-store";

export interface MemoryAffinityStoreOptions {
  /** Conversations kept at most; the least recently used one goes first. */
  maxConversations?: number;
  now?: () => number;
}

/** Enough for a busy replica's hour of conversations; ~150 bytes each. */
const DEFAULT_MAX_CONVERSATIONS = 50_000;

/**
 * This process's affinities: a Map in recency order (a Map iterates in insertion order, so
 * re-inserting on use keeps the least recently used first), bounded so a flood of one-off
 * conversations cannot grow it without limit.
 */
export function createMemoryAffinityStore(options: MemoryAffinityStoreOptions = {}): AffinityStore {
  const max = options.maxConversations ?? DEFAULT_MAX_CONVERSATIONS;
  const now = options.now ?? Date.now;
  const slots = new Map<string, { entry: string; expiresAt: number }>();

  const put = (conversation: string, entry: string, ttlMs: number) => {
    slots.delete(conversation);
    slots.set(conversation, { entry, expiresAt: now() + ttlMs });
    if (slots.size > max) {
      const oldest = slots.keys().next();
      if (!oldest.done) slots.delete(oldest.value);
    }
  };

  return {
    async recall(conversation, ttlMs) {
      const slot = slots.get(conversation);
      if (!slot) return null;
      if (slot.expiresAt <= now()) {
        slots.delete(conversation);
        return null;
      }
      put(conversation, slot.entry, ttlMs);
      return slot.entry;
    },
    async remember(conversation, entry, ttlMs) {
      put(conversation, entry, ttlMs);
    },
  };
}
