import "server-only";
import { isCredentialHeader, type ProviderConfig } from "@429chain/contracts";
import { maskApiKey } from "@429chain/db";

// Shorter fragments would mask ordinary words; no real credential is this short.
const MIN_SECRET_LENGTH = 8;

/** The provider's key and credential header values, and the token of a `Bearer x` value. */
function secretsOf(provider: ProviderConfig): string[] {
  const values = [
    provider.apiKey,
    ...Object.entries(provider.headers ?? {})
      .filter(([name]) => isCredentialHeader(name))
      .map(([, value]) => value),
  ];
  const tokens = values.map((v) => v.slice(v.lastIndexOf(" ") + 1));
  return [...new Set([...values, ...tokens])]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

/**
 * `text` (an upstream's error message, say) with each of the provider's secrets masked like
 * the key: an upstream may echo what it was sent, and the answer goes to a browser.
 */
export function scrubProviderSecrets(text: string, provider: ProviderConfig): string {
  let out = text;
  for (const secret of secretsOf(provider)) out = out.split(secret).join(maskApiKey(secret));
  return out;
}
