import type { ProviderConfig } from "@429chain/contracts";
import { splitHeaders } from "../secrets/credential-headers";
import { encryptSecret } from "../secrets/encrypt-secret";
import type { MasterKey } from "../secrets/master-key";
import { providerHeaderSecretContext, providerSecretContext } from "../secrets/secret-context";

/** A provider's columns except its id, position, key and headers. */
export function providerColumns(p: ProviderConfig) {
  return {
    name: p.name,
    type: p.type,
    baseUrl: p.baseUrl ?? null,
    timeouts: p.timeouts ?? null,
    timeoutMs: p.timeout ?? null,
    rateLimits: p.rateLimits ?? null,
    modelRateLimits: p.modelRateLimits ?? null,
    enabled: p.enabled,
    free: p.free ?? false,
  };
}

export function providerKeyColumns(p: Pick<ProviderConfig, "id" | "apiKey">, key: MasterKey) {
  return {
    apiKeyCiphertext: encryptSecret(p.apiKey, key, providerSecretContext(p.id)),
    apiKeyKeyId: key.id,
  };
}

/** The headers in the clear, and each credential header encrypted like the key. */
export function providerHeaderColumns(p: Pick<ProviderConfig, "id" | "headers">, key: MasterKey) {
  const { plain, credentials } = splitHeaders(p.headers);
  const secretHeaders =
    credentials &&
    Object.fromEntries(
      Object.entries(credentials).map(([name, value]) => [
        name,
        encryptSecret(value, key, providerHeaderSecretContext(p.id, name)),
      ]),
    );
  return { headers: plain, secretHeaders, secretHeadersKeyId: secretHeaders ? key.id : null };
}
