/**
 * Client keys published in this repository (the example config's placeholder). Anyone can
 * read them, so a gateway reachable beyond loopback must never accept them: the quickstart
 * keeps working on 127.0.0.1, while a Compose or Helm install gets a generated first key.
 */
export const PUBLIC_EXAMPLE_CLIENT_KEYS: readonly string[] = ["sk-429chain-change-me"];

export function isPublicExampleKey(key: string): boolean {
  return PUBLIC_EXAMPLE_CLIENT_KEYS.includes(key);
}
