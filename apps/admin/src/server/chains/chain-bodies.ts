import "server-only";
import {
  type ChainInput,
  type ChainUpdateInput,
  createChain,
  deleteChain,
  setDefaultChain,
  updateChain,
} from "@429chain/db";
import { z } from "zod";
import type { Session } from "../../lib/auth";
import { type ConfigDeps, writeConfig, writeOptions } from "../config/config-write";

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
type ChainEntriesInput = z.output<typeof ChainEntriesInputSchema>;

export const ChainNameInputSchema = z.object({ name: chainName });
type ChainNameInput = z.output<typeof ChainNameInputSchema>;

// The action bodies: plain functions of the dependencies, the caller and the parsed input.

export function createChainBody(deps: ConfigDeps, session: Session, input: ChainEntriesInput) {
  // The config schema types are only claimed here: @429chain/db validates them.
  const chain = {
    ...input,
    dimensions: input.dimensions ?? undefined,
    affinity: input.affinity ?? undefined,
    budget: input.budget ?? undefined,
    referencePrice: input.referencePrice ?? undefined,
  } as ChainInput;
  return writeConfig(deps, () => createChain(deps.db, chain, writeOptions(deps, session)));
}

export function updateChainBody(deps: ConfigDeps, session: Session, input: ChainEntriesInput) {
  const update = {
    entries: input.entries,
    kind: input.kind,
    dimensions: input.dimensions,
    affinity: input.affinity,
    budget: input.budget,
    referencePrice: input.referencePrice,
  } as ChainUpdateInput;
  return writeConfig(deps, () =>
    updateChain(deps.db, input.name, update, writeOptions(deps, session)),
  );
}

export function deleteChainBody(deps: ConfigDeps, session: Session, input: ChainNameInput) {
  return writeConfig(deps, () => deleteChain(deps.db, input.name, writeOptions(deps, session)));
}

export function setDefaultChainBody(deps: ConfigDeps, session: Session, input: ChainNameInput) {
  return writeConfig(deps, () => setDefaultChain(deps.db, input.name, writeOptions(deps, session)));
}
