import type { CompiledEntry, ConfigSnapshot } from "./snapshot";

/**
 * Entries whose provider got a new key or base URL in this config change. Their cooldowns,
 * breaker state and windows belong to the old credentials (an `auth_failed` from a placeholder
 * key, a credit error of another account) and must not keep the new ones from being used.
 */
export function entriesOfReplacedProviders(
  previous: ConfigSnapshot,
  next: ConfigSnapshot,
): CompiledEntry[] {
  const replaced = new Set<string>();
  for (const [id, provider] of next.providers) {
    const before = previous.providers.get(id);
    if (before && (before.apiKey !== provider.apiKey || before.baseUrl !== provider.baseUrl)) {
      replaced.add(id);
    }
  }
  return next.entries.filter((e) => replaced.has(e.provider.id));
}
