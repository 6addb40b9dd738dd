import "server-only";
import { z } from "zod";

// Only the envelope is checked here; names and entries are validated by @429chain/db with
// the config schema, so the console and a config import follow the same rules.
const chainName = z.string().min(1, "choose a chain");

export const ChainEntriesInputSchema = z.object({
  name: z.string(),
  /** "chat" or "embeddings"; left out, a new chain is a chat chain and an edit keeps it. */
  kind: z.string().optional(),
  /** Embeddings chains; null: no fixed vector length. Left out, an edit keeps it. */
  dimensions: z.unknown().optional(),
  /** Chat chains: "conversation", or null for none. Left out, an edit keeps it. */
  affinity: z.unknown().optional(),
  /** {dailyUsd?, monthlyUsd?}, or null for none. Left out, an edit keeps it. */
  budget: z.unknown().optional(),
  /** "provider/model" or a price, or null for none. Left out, an edit keeps it. */
  referencePrice: z.unknown().optional(),
  entries: z.array(z.record(z.string(), z.unknown())),
});
export type ChainEntriesInput = z.output<typeof ChainEntriesInputSchema>;

export const ChainNameInputSchema = z.object({ name: chainName });
export type ChainNameInput = z.output<typeof ChainNameInputSchema>;
