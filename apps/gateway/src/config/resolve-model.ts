import { GatewayError } from "../errors";
import type { CompiledAliases } from "./aliases";
import { type CompiledChain, type ConfigSnapshot, compileEntry } from "./snapshot";

export interface ResolvedTarget {
  /** Chain name for metrics and logs; `provider/model` for a direct entry. */
  readonly name: string;
  readonly chain: CompiledChain;
  /** Names what the config knows this target by: the chain, or the direct entry's provider. */
  readonly queue: string;
}

/**
 * `model` → a chain name, `provider-id/model` (one direct entry; model names may contain
 * '/'), a `settings.modelAliases` name or pattern, or anything else → settings.unknownModel
 * (v1: the default chain).
 */
export function resolveModel(snapshot: ConfigSnapshot, model: string | undefined): ResolvedTarget {
  if (model !== undefined) {
    const chain = snapshot.chains.get(model);
    if (chain) return { name: chain.name, chain, queue: `chain:${chain.name}` };
    const slash = model.indexOf("/");
    if (slash > 0) {
      const provider = snapshot.providers.get(model.slice(0, slash));
      const upstreamModel = model.slice(slash + 1);
      if (provider?.enabled && upstreamModel.length > 0) {
        const entry =
          snapshot.entries.find((e) => e.label === model) ?? compileEntry(provider, upstreamModel);
        return {
          name: entry.label,
          chain: { name: entry.label, entries: [entry] },
          queue: `provider:${provider.id}`,
        };
      }
    }
    const aliased = snapshot.chains.get(aliasTarget(snapshot.aliases, model) ?? "");
    if (aliased) return { name: aliased.name, chain: aliased, queue: `chain:${aliased.name}` };
  }
  if (snapshot.settings.unknownModel === "reject") {
    const names = [...snapshot.chains.keys()].join(", ");
    throw new GatewayError(
      "model_not_found",
      `The model '${model ?? ""}' does not exist. Use a chain (${names}) or 'provider-id/model'.`,
      { param: "model" },
    );
  }
  const fallback = snapshot.chains.get(snapshot.settings.defaultChain);
  if (!fallback) throw new Error("snapshot without its default chain");
  return { name: fallback.name, chain: fallback, queue: `chain:${fallback.name}` };
}

/** The chain an alias names for `model`: an exact alias, else the longest matching prefix. */
function aliasTarget(aliases: CompiledAliases, model: string): string | undefined {
  const exact = aliases.exact.get(model);
  if (exact) return exact;
  for (const [prefix, chain] of aliases.prefixes) if (model.startsWith(prefix)) return chain;
  return undefined;
}
