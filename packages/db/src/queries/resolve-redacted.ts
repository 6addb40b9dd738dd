import type { Config } from "@429chain/contracts";
import type { MasterKey } from "../secrets/master-key";
import { ConfigImportError } from "./errors";
import { secretReaders } from "./export-config";
import { resolveRedactedHeaders } from "./provider-headers";
import type { ConfigRows } from "./read-config-rows";
import { isRedacted, REDACTED_PROVIDER_KEY, redactedClientKeyId } from "./redaction";

/**
 * Turns the placeholders of an export without secrets back into the stored secrets, so such
 * an export imports to the same content. A placeholder with nothing stored behind it is an
 * error naming the field.
 */
export function resolveRedactedSecrets(config: Config, rows: ConfigRows, key: MasterKey): Config {
  const readers = secretReaders(key);
  const issues: string[] = [];
  const providers = config.providers.map((p, i) => {
    const stored = rows.providers.find((row) => row.id === p.id);
    const kept = resolveRedactedHeaders(p.headers, stored && readers.providerHeaders(stored));
    for (const name of kept.missing) {
      issues.push(
        `providers.${i}.headers.${name}: no stored header for provider "${p.id}" to keep`,
      );
    }
    const resolved = { ...p, headers: kept.headers };
    if (!isRedacted(p.apiKey)) return resolved;
    if (p.apiKey !== REDACTED_PROVIDER_KEY || !stored) {
      issues.push(`providers.${i}.apiKey: no stored key for provider "${p.id}" to keep`);
      return resolved;
    }
    return { ...resolved, apiKey: readers.providerApiKey(stored) };
  });
  const apiKeys = config.settings.apiKeys.map((value, i) => {
    if (!isRedacted(value)) return value;
    const id = redactedClientKeyId(value);
    const stored = rows.configKeys.find((row) => row.id === id);
    if (!stored) {
      issues.push(`settings.apiKeys.${i}: no stored client key for placeholder ${value}`);
      return value;
    }
    return readers.clientKey(stored);
  });
  if (issues.length > 0) throw new ConfigImportError(issues);
  return { ...config, providers, settings: { ...config.settings, apiKeys } };
}
