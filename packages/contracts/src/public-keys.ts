/**
 * Client keys published in this repository (the example config's placeholder). Anyone can
 * read them, so a gateway reachable beyond loopback must never accept them: the quickstart
 * keeps working on 127.0.0.1, while a Compose or Helm install gets a generated first key.
 */
export const PUBLIC_EXAMPLE_CLIENT_KEYS: readonly string[] = ["sk-429chain-change-me"];

export function isPublicExampleKey(key: string): boolean {
  return PUBLIC_EXAMPLE_CLIENT_KEYS.includes(key);
}

// The example config's provider keys: `gsk_your_key_here`, `sk-or-v1-your-key-here`,
// `your-google-ai-key-here`…, and the usual stand-ins for "fill this in".
const PLACEHOLDER =
  /your[-_ ]?(?:[\w-]*[-_ ])?key[-_ ]?here|^(?:change[-_ ]?me|replace[-_ ]?me|x{3,}|<[^>]*>|\.{3}|todo)$/i;

/**
 * A provider key that is a stand-in, not a key: such a provider is never called (an upstream
 * would only answer 401 and mark it auth_failed); its entries are skipped with "add a key".
 */
export function isPlaceholderKey(key: string): boolean {
  return PLACEHOLDER.test(key.trim());
}
