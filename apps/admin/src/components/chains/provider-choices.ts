import type { Chain } from "@429chain/contracts";

export interface ProviderOption {
  id: string;
  name: string;
  enabled: boolean;
  /** The provider's type has an embeddings API, so it may serve an embeddings chain. */
  embeddings: boolean;
}

interface ProviderChoice extends ProviderOption {
  /** Why the provider cannot be picked for this chain; null when it can. */
  unavailable: string | null;
}

const canServe = (p: ProviderOption, kind: Chain["kind"]) => kind === "chat" || p.embeddings;

/**
 * The provider select's options for an entry of a chain of `kind`. Providers that cannot serve
 * the kind stay listed but unavailable, so the list says why one is missing; the entry's own
 * provider is always there (an unknown id too), so switching the kind never rewrites an entry.
 */
export function providerChoices(
  providers: readonly ProviderOption[],
  kind: Chain["kind"],
  current: string,
): ProviderChoice[] {
  const choices = providers.map((p) => ({
    ...p,
    unavailable: canServe(p, kind) ? null : "no embeddings API",
  }));
  if (current && !providers.some((p) => p.id === current)) {
    choices.push({
      id: current,
      name: "unknown",
      enabled: false,
      embeddings: false,
      unavailable: null,
    });
  }
  return choices;
}

/** A new entry's provider: the first enabled one that can serve the kind, else any that can. */
export function defaultProvider(providers: readonly ProviderOption[], kind: Chain["kind"]): string {
  const usable = providers.filter((p) => canServe(p, kind));
  return (usable.find((p) => p.enabled) ?? usable[0] ?? providers[0])?.id ?? "";
}
