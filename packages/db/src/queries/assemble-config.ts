import {
  type ConfigInput,
  ProviderTimeoutsSchema,
  RateLimitsSchema,
  SettingsSchema,
} from "@429chain/contracts";
import type { ConfigRows } from "./read-config-rows";

type ProviderRow = ConfigRows["providers"][number];
type ConfigKeyRow = ConfigRows["configKeys"][number];

/** How a document gets each stored secret: decrypted, or as a `<redacted:…>` placeholder. */
export interface SecretReaders {
  providerApiKey(row: ProviderRow): string;
  /** Every extra header of the provider, credentials included. */
  providerHeaders(row: ProviderRow): Record<string, string> | undefined;
  clientKey(row: ConfigKeyRow): string;
}

// jsonb stores object keys in its own order; documents list them in schema order instead so
// an export reads like the file it came from and diffs stay stable.
function ordered<T extends object>(value: T, keys: readonly string[]): T {
  const source = value as Record<string, unknown>;
  const rest = Object.keys(source).filter((k) => !keys.includes(k));
  const out: Record<string, unknown> = {};
  for (const key of [...keys, ...rest.sort()]) {
    if (source[key] !== undefined) out[key] = source[key];
  }
  return out as T;
}

const SETTINGS_KEYS = Object.keys(SettingsSchema.shape);
const RATE_LIMIT_KEYS = Object.keys(RateLimitsSchema.shape);
const TIMEOUT_KEYS = Object.keys(ProviderTimeoutsSchema.shape);

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function orderedRecord<T extends object>(
  value: Record<string, T>,
  keys: readonly string[],
): Record<string, T> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ordered(v, keys)]));
}

/**
 * Builds a config document from stored rows. Optional fields appear only when set,
 * `enabled` only when false and a chain's `kind` only when not chat, so the result reads
 * like a v1 file. Returns null when nothing has been imported yet.
 */
export function assembleConfig(rows: ConfigRows, secrets: SecretReaders): ConfigInput | null {
  if (rows.settings === null) return null;
  const activeKeys = rows.configKeys.filter((k) => k.revokedAt === null);
  const entriesByChain = new Map<string, ConfigRows["entries"]>();
  for (const e of rows.entries) {
    const list = entriesByChain.get(e.chainName) ?? [];
    list.push(e);
    entriesByChain.set(e.chainName, list);
  }
  return {
    version: 1,
    settings: ordered(
      { ...rows.settings, apiKeys: activeKeys.map((k) => secrets.clientKey(k)) },
      SETTINGS_KEYS,
    ),
    providers: rows.providers.map((p) =>
      compact({
        id: p.id,
        name: p.name,
        type: p.type as ConfigInput["providers"][number]["type"],
        apiKey: secrets.providerApiKey(p),
        baseUrl: p.baseUrl ?? undefined,
        timeout: p.timeoutMs ?? undefined,
        rateLimits: p.rateLimits ? ordered(p.rateLimits, RATE_LIMIT_KEYS) : undefined,
        enabled: p.enabled ? undefined : false,
        free: p.free ? true : undefined,
        headers: secrets.providerHeaders(p),
        timeouts: p.timeouts ? ordered(p.timeouts, TIMEOUT_KEYS) : undefined,
        modelRateLimits: p.modelRateLimits
          ? orderedRecord(p.modelRateLimits, RATE_LIMIT_KEYS)
          : undefined,
      }),
    ),
    chains: rows.chains.map((c) => ({
      name: c.name,
      ...(c.kind === "chat" ? {} : { kind: c.kind }),
      ...(c.dimensions === null ? {} : { dimensions: c.dimensions }),
      ...(c.affinity === null ? {} : { affinity: c.affinity }),
      ...(c.budget === null ? {} : { budget: c.budget }),
      ...(c.referencePrice === null ? {} : { referencePrice: c.referencePrice }),
      entries: (entriesByChain.get(c.name) ?? []).map((e) => ({
        provider: e.providerId,
        model: e.model,
        ...(e.enabled ? {} : { enabled: false }),
        ...(e.price ? { price: e.price } : {}),
      })),
    })),
  };
}
