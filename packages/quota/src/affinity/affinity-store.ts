/**
 * Where each conversation of an `affinity: conversation` chain was last served, so its next
 * turn goes back to the entry whose prompt cache holds it. A conversation is an opaque id (a
 * hash the gateway computes; never the conversation's content); an entry is its label
 * (`provider-id/model`).
 */
export interface AffinityStore {
  /**
   * The entry that served the conversation's last turn, or null when it has none (a new
   * conversation, one idle longer than `ttlMs`). A hit renews the TTL: idle time is what ends
   * an affinity, not age.
   */
  recall(conversation: string, ttlMs: number): Promise<string | null>;
  /** The entry that served this turn, kept for `ttlMs`. */
  remember(conversation: string, entry: string, ttlMs: number): Promise<void>;
}
