import type { Chain, ChainEntry } from "@429chain/contracts";
import type { DbExecutor } from "../../create-db";
import { readConfigRows } from "../read-config-rows";

interface ChainEntryView extends ChainEntry {
  /** False when the entry's provider is disabled: the gateway skips the entry then. */
  providerEnabled: boolean;
}

export interface ChainView {
  name: string;
  kind: Chain["kind"];
  /** Embeddings chains: the vector length entries must answer with; null when not fixed. */
  dimensions: number | null;
  /** Chat chains: `conversation` keeps a conversation on its entry; null for none. */
  affinity: NonNullable<Chain["affinity"]> | null;
  budget: Chain["budget"] | null;
  referencePrice: Chain["referencePrice"] | null;
  isDefault: boolean;
  entries: ChainEntryView[];
}

export interface ChainList {
  /** null until the first chain is created. */
  defaultChain: string | null;
  chains: ChainView[];
}

/** Every chain in config order, entries in waterfall order. */
export async function listChains(db: DbExecutor): Promise<ChainList> {
  const rows = await readConfigRows(db);
  const providerEnabled = new Map(rows.providers.map((p) => [p.id, p.enabled]));
  const defaultChain = rows.settings?.defaultChain ?? null;
  return {
    defaultChain,
    chains: rows.chains.map((c) => ({
      name: c.name,
      kind: c.kind,
      dimensions: c.dimensions,
      affinity: c.affinity,
      budget: c.budget,
      referencePrice: c.referencePrice,
      isDefault: c.name === defaultChain,
      entries: rows.entries
        .filter((e) => e.chainName === c.name)
        .map((e) => ({
          provider: e.providerId,
          model: e.model,
          enabled: e.enabled,
          ...(e.price ? { price: e.price } : {}),
          providerEnabled: providerEnabled.get(e.providerId) ?? false,
        })),
    })),
  };
}
