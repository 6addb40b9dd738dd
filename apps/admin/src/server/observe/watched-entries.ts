import type { Config } from "@429chain/contracts";
import { type EntryPolicy, entryPolicyOf, type LedgerChainInput } from "@429chain/quota";

/** One provider/model the gateways may send to, as the live view lists it. */
export interface WatchedEntry {
  /** `provider-id/model`, as in x-429chain-provider. */
  label: string;
  policy: EntryPolicy;
  /** Chains that use this entry, in config order. */
  chains: string[];
}

/** What the live views watch of one config: its entries and its chains' entry order. */
export interface WatchedConfig {
  entries: WatchedEntry[];
  chains: LedgerChainInput[];
}

/**
 * The entries a gateway compiles from this config (enabled entries of enabled providers,
 * first-seen order), with the policy the gateway compiles (entryPolicyOf), so the reads hit
 * the keys the gateways write; and each chain with the labels of those entries, in order.
 */
export function watchedConfigOf(config: Config): WatchedConfig {
  const providers = new Map(config.providers.map((p) => [p.id, p]));
  const byLabel = new Map<string, WatchedEntry>();
  const chains: LedgerChainInput[] = [];
  for (const chain of config.chains) {
    const labels: string[] = [];
    for (const e of chain.entries) {
      const provider = providers.get(e.provider);
      if (!provider?.enabled || !e.enabled) continue;
      const label = `${provider.id}/${e.model}`;
      labels.push(label);
      const known = byLabel.get(label);
      if (known) {
        if (!known.chains.includes(chain.name)) known.chains.push(chain.name);
        continue;
      }
      byLabel.set(label, { label, chains: [chain.name], policy: entryPolicyOf(provider, e.model) });
    }
    chains.push({ name: chain.name, kind: chain.kind ?? null, entries: labels });
  }
  return { entries: [...byLabel.values()], chains };
}
