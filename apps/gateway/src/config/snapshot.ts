import { createHash } from "node:crypto";
import {
  type ChainAffinity,
  type ChainKind,
  type Config,
  entryPrice,
  isPlaceholderKey,
  type Price,
  type ProviderConfig,
  referencePriceOf,
  type Settings,
  usdToMicros,
} from "@429chain/contracts";
import { getProviderAdapter, type ProviderAdapter } from "@429chain/providers";
import {
  type CooldownPolicy,
  type EntryPolicy,
  entryPolicyOf,
  type SpendLimits,
} from "@429chain/quota";
import { type CompiledAliases, compileAliases } from "./aliases";

/** One provider+model a request can be sent to, with everything the hot path needs. */
export interface CompiledEntry {
  /** `provider-id/model`, as in x-429chain-provider and /v1/models. */
  readonly label: string;
  readonly provider: ProviderConfig;
  readonly model: string;
  readonly adapter: ProviderAdapter;
  readonly policy: EntryPolicy;
  /** The provider's key is still a placeholder: the entry is skipped with "add a key". */
  readonly needsKey: boolean;
  /** Its price from the provider's `free` or the bundled table; undefined: unknown. */
  readonly price: Price | undefined;
}

export interface CompiledChain {
  readonly name: string;
  /** What the chain serves; a direct `provider/model` target has none (any API may use it). */
  readonly kind?: ChainKind;
  /** Embeddings chains: the vector length every answer must have. */
  readonly dimensions?: number;
  /** `conversation`: a conversation's turns go back to the entry that served the last one. */
  readonly affinity?: ChainAffinity;
  /** Enabled entries of enabled providers, in order. */
  readonly entries: readonly CompiledEntry[];
  /** Entries of this chain with a price of their own (by label), overriding `entry.price`. */
  readonly prices?: ReadonlyMap<string, Price>;
  /** Spend limit of the chain's paid entries, in micro-dollars. */
  readonly budget?: SpendLimits;
  /** What served tokens would have cost ("money saved"). */
  readonly referencePrice?: Price;
}

/** What an entry costs when it serves this chain. */
export function priceIn(chain: CompiledChain, entry: CompiledEntry): Price | undefined {
  return chain.prices?.get(entry.label) ?? entry.price;
}

/** One immutable, validated view of the config. Swapped whole on reload. */
export interface ConfigSnapshot {
  readonly version: number;
  readonly source: string;
  readonly settings: Settings;
  readonly chains: ReadonlyMap<string, CompiledChain>;
  readonly providers: ReadonlyMap<string, ProviderConfig>;
  /** SHA-256 hex of each client API key → what the key may do (never the key itself). */
  readonly clientKeys: ReadonlyMap<string, ClientKeyInfo>;
  /** Every distinct provider/model used by a chain, in first-seen order. */
  readonly entries: readonly CompiledEntry[];
  readonly cooldownPolicy: CooldownPolicy;
  readonly aliases: CompiledAliases;
}

/** A client API key as the gateway enforces it. */
export interface ClientKeyInfo {
  readonly id: string;
  /** SHA-256 hex of the key. */
  readonly hash: string;
  /** null: every chain. */
  readonly allowedChains: readonly string[] | null;
  readonly rpm: number | null;
  readonly dailyTokens: number | null;
  readonly monthlyTokens: number | null;
  /** Spend budgets in micro-dollars; null: none. */
  readonly dailySpendMicros: number | null;
  readonly monthlySpendMicros: number | null;
  readonly expiresAt: number | null;
  readonly revoked: boolean;
}

/** File mode: the keys of settings.apiKeys, unrestricted. */
export function fileClientKeys(config: Config): ClientKeyInfo[] {
  return config.settings.apiKeys.map((key, i) => ({
    id: `config-key-${i + 1}`,
    hash: hashApiKey(key),
    allowedChains: null,
    rpm: null,
    dailyTokens: null,
    monthlyTokens: null,
    dailySpendMicros: null,
    monthlySpendMicros: null,
    expiresAt: null,
    revoked: false,
  }));
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function compileEntry(provider: ProviderConfig, model: string): CompiledEntry {
  const adapter = getProviderAdapter(provider.type);
  return {
    label: `${provider.id}/${model}`,
    provider,
    model,
    adapter,
    needsKey: isPlaceholderKey(provider.apiKey),
    price: entryPrice(provider, { model }),
    policy: entryPolicyOf(provider, model),
  };
}

function cooldownPolicyFor(s: Settings): CooldownPolicy {
  return {
    rateLimitBaseMs: s.cooldownDefaultMs,
    rateLimitMinMs: s.cooldownMinMs,
    rateLimitMaxMs: s.cooldownMaxMs,
    creditMs: s.creditCooldownMs,
    authFailedMs: s.authFailedCooldownMs,
    circuitThreshold: s.circuitBreakerThreshold,
    circuitBaseMs: s.circuitBreakerCooldownMs,
    circuitMaxMs: s.circuitBreakerCooldownMaxMs,
    midStreamThreshold: s.midStreamFailureThreshold,
    midStreamBaseMs: s.midStreamCooldownMs,
    midStreamMaxMs: s.midStreamCooldownMaxMs,
    burnTauMs: s.burnRateWindowMs,
  };
}

export function buildSnapshot(
  config: Config,
  version: number,
  source: string,
  keys: readonly ClientKeyInfo[],
): ConfigSnapshot {
  const providers = new Map(config.providers.map((p) => [p.id, p]));
  const byLabel = new Map<string, CompiledEntry>();
  const chains = new Map<string, CompiledChain>();
  for (const chain of config.chains) {
    const entries: CompiledEntry[] = [];
    const prices = new Map<string, Price>();
    for (const e of chain.entries) {
      const provider = providers.get(e.provider);
      if (!provider?.enabled || !e.enabled) continue;
      const label = `${provider.id}/${e.model}`;
      const compiled = byLabel.get(label) ?? compileEntry(provider, e.model);
      byLabel.set(label, compiled);
      entries.push(compiled);
      if (e.price) prices.set(label, e.price);
    }
    const { budget, referencePrice } = chain;
    const reference = referencePrice && referencePriceOf(referencePrice, config.providers);
    chains.set(chain.name, {
      name: chain.name,
      entries,
      kind: chain.kind,
      ...(chain.dimensions !== undefined ? { dimensions: chain.dimensions } : {}),
      ...(chain.affinity !== undefined ? { affinity: chain.affinity } : {}),
      ...(prices.size > 0 ? { prices } : {}),
      ...(budget
        ? {
            budget: {
              dailyMicros: budget.dailyUsd === undefined ? null : usdToMicros(budget.dailyUsd),
              monthlyMicros:
                budget.monthlyUsd === undefined ? null : usdToMicros(budget.monthlyUsd),
            },
          }
        : {}),
      ...(reference ? { referencePrice: reference } : {}),
    });
  }
  const clientKeys = new Map(keys.map((k) => [k.hash, k]));
  return {
    version,
    source,
    settings: config.settings,
    chains,
    providers,
    clientKeys,
    entries: [...byLabel.values()],
    cooldownPolicy: cooldownPolicyFor(config.settings),
    aliases: compileAliases(config.settings.modelAliases),
  };
}
