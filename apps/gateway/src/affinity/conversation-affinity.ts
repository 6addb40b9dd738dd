import type { AffinityStore } from "@429chain/quota";
import type { FastifyBaseLogger } from "fastify";
import type { CompiledChain, CompiledEntry } from "../config/snapshot";
import type { GatewayMetrics } from "../metrics";
import type { PendingSettles } from "../waterfall/pending-settles";
import { conversationId } from "./conversation-id";
import type { ConversationMark } from "./conversation-mark";

/** One turn of a conversation on a chain with affinity. */
export interface AffinityTurn {
  /** The entry that served the previous turn, while the chain still has it: tried first. */
  readonly preferred: CompiledEntry | undefined;
  /**
   * The turn was served by `entry`: remembered (only when it changed, without waiting) for the
   * next turn, and counted as hit, miss (nothing remembered) or moved (another entry served).
   */
  served(entry: CompiledEntry, chainLabel: string): void;
}

interface ConversationAffinityDeps {
  store: AffinityStore;
  metrics: GatewayMetrics;
  settles: PendingSettles;
  log: FastifyBaseLogger;
}

/**
 * Recalls where a conversation was served last: one store read before the waterfall, and a
 * write only when the serving entry changed. Never fails a request; a store that cannot
 * answer means the turn starts at the top of its chain.
 */
export async function beginAffinityTurn(
  deps: ConversationAffinityDeps,
  turn: { keyHash: string; chain: CompiledChain; mark: ConversationMark; ttlMs: number },
): Promise<AffinityTurn> {
  const id = conversationId(turn.keyHash, turn.chain.name, turn.mark);
  const remembered = await deps.store.recall(id, turn.ttlMs).catch((err: unknown) => {
    deps.log.warn({ err: errorMessage(err) }, "affinity store unreachable; no affinity");
    return null;
  });
  const preferred =
    remembered === null ? undefined : turn.chain.entries.find((e) => e.label === remembered);
  return {
    preferred,
    served(entry, chainLabel) {
      const result = remembered === null ? "miss" : remembered === entry.label ? "hit" : "moved";
      deps.metrics.affinityOf(chainLabel, result).inc();
      if (result === "hit") return;
      deps.settles.track(
        deps.store.remember(id, entry.label, turn.ttlMs).catch((err: unknown) => {
          deps.log.warn({ err: errorMessage(err) }, "could not remember a conversation's entry");
        }),
      );
    },
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
