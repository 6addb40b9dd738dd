import type { CompiledEntry, ConfigSnapshot } from "./config/snapshot";

/** Every value a client could put into a label that is not in the config is counted here. */
export const OTHER_LABEL = "other";

/**
 * Label values for metrics, taken only from the config: chain names, provider ids and the
 * models chains use. Anything a client chose (a `provider/model` of its own, an unknown
 * chain) is counted under "other", so no request can grow the series count.
 */
export interface MetricLabels {
  chain(name: string): string;
  entry(entry: CompiledEntry): { provider: string; model: string };
}

const cache = new WeakMap<ConfigSnapshot, MetricLabels>();

export function metricLabelsFor(snapshot: ConfigSnapshot): MetricLabels {
  let labels = cache.get(snapshot);
  if (labels) return labels;
  const chains = new Set(snapshot.chains.keys());
  const entries = new Set(snapshot.entries.map((e) => e.label));
  labels = {
    chain: (name) => (chains.has(name) || entries.has(name) ? name : OTHER_LABEL),
    entry: (e) => ({
      provider: snapshot.providers.has(e.provider.id) ? e.provider.id : OTHER_LABEL,
      model: entries.has(e.label) ? e.model : OTHER_LABEL,
    }),
  };
  cache.set(snapshot, labels);
  return labels;
}
