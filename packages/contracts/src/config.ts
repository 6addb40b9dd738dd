import { z } from "zod";
import { entryPrice, referencePriceOf } from "./prices/entry-price";
import { PriceSchema } from "./prices/price";

export const PROVIDER_TYPES = [
  "openai",
  "groq",
  "openrouter",
  "cerebras",
  "google-ai",
  "mistral",
  "generic-openai",
  "anthropic",
] as const;
const ProviderTypeSchema = z.enum(PROVIDER_TYPES);
export type ProviderType = z.infer<typeof ProviderTypeSchema>;

const positiveInt = z.number().int().positive();
const msAtLeast1s = z.number().int().min(1000);

/** Manual limits: v1 `rateLimits` plus the additive `requestsPerHour` and `tokensPerDay`. */
export const RateLimitsSchema = z.object({
  requestsPerMinute: positiveInt.optional(),
  requestsPerHour: positiveInt.optional(),
  requestsPerDay: positiveInt.optional(),
  tokensPerMinute: positiveInt.optional(),
  tokensPerDay: positiveInt.optional(),
  concurrentRequests: positiveInt.optional(),
});
export type RateLimits = z.infer<typeof RateLimitsSchema>;

export const ProviderTimeoutsSchema = z.object({
  connectMs: msAtLeast1s.optional(),
  firstByteMs: msAtLeast1s.optional(),
  idleMs: msAtLeast1s.optional(),
});

export const ProviderConfigSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .regex(/^[^/\s]+$/, "must not contain '/' or spaces"),
    name: z.string().min(1),
    type: ProviderTypeSchema,
    apiKey: z.string().min(1),
    baseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
    /** v1: overall per-attempt timeout, overrides settings.requestTimeoutMs. */
    timeout: msAtLeast1s.optional(),
    /** v1: account-wide manual limits. */
    rateLimits: RateLimitsSchema.optional(),
    // Extensions (additive to v1).
    enabled: z.boolean().default(true),
    headers: z.record(z.string(), z.string()).optional(),
    timeouts: ProviderTimeoutsSchema.optional(),
    /** Manual limits per model, keyed by the upstream model name. */
    modelRateLimits: z.record(z.string(), RateLimitsSchema).optional(),
    /** A free tier: every entry of this provider is priced 0 (unless it sets its own price). */
    free: z.boolean().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.type === "generic-openai" && !p.baseUrl) {
      ctx.addIssue({
        code: "custom",
        path: ["baseUrl"],
        message: "is required for type generic-openai",
      });
    }
  });
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;

export const ChainEntrySchema = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  enabled: z.boolean().default(true),
  /** Overrides the bundled price table (and the provider's `free`) for this entry. */
  price: PriceSchema.optional(),
});
export type ChainEntry = z.infer<typeof ChainEntrySchema>;

/** What a chain serves: chat (completions, messages, responses) or embeddings. */
const CHAIN_KINDS = ["chat", "embeddings"] as const;
export type ChainKind = (typeof CHAIN_KINDS)[number];

/**
 * Provider types with an embeddings API (OpenAI-compatible `/embeddings`). Groq, Cerebras and
 * Anthropic have none; packages/providers' adapters declare the same and a test holds the two
 * lists together.
 */
export const EMBEDDINGS_PROVIDER_TYPES: readonly ProviderType[] = [
  "openai",
  "mistral",
  "google-ai",
  "openrouter",
  "generic-openai",
];

/**
 * `conversation`: the turns of one conversation go to the entry that served the previous turn
 * while it has quota, so the provider's prompt cache for the conversation stays warm.
 */
const CHAIN_AFFINITIES = ["conversation"] as const;
export type ChainAffinity = (typeof CHAIN_AFFINITIES)[number];

const usdAmount = z.number().positive().max(1_000_000);

/** Spend limits in USD for a chain's paid entries (UTC day, UTC calendar month). */
export const SpendBudgetSchema = z
  .object({ dailyUsd: usdAmount.optional(), monthlyUsd: usdAmount.optional() })
  .refine((b) => b.dailyUsd !== undefined || b.monthlyUsd !== undefined, {
    message: "must set dailyUsd, monthlyUsd or both",
  });
export type SpendBudget = z.infer<typeof SpendBudgetSchema>;

/** What served tokens would have cost elsewhere: `provider/model` or an explicit price. */
export const ReferencePriceSchema = z.union([
  z.string().regex(/^[^/\s]+\/\S+$/, 'must be "provider/model" or a price'),
  PriceSchema,
]);

export const ChainSchema = z.object({
  name: z.string().min(1),
  entries: z.array(ChainEntrySchema).min(1, "must have at least one entry"),
  // Extensions (additive to v1).
  kind: z.enum(CHAIN_KINDS).default("chat"),
  /**
   * Embeddings chains: the vector length every entry must answer with. Vectors of different
   * models are not interchangeable; an answer of another length is that entry's failure.
   */
  dimensions: positiveInt.max(65_536).optional(),
  /** Absent: every request starts at the top of the chain. Chat chains only. */
  affinity: z
    .enum(CHAIN_AFFINITIES, { error: 'must be "conversation" (or left out for none)' })
    .optional(),
  /** Spend limit for the chain's paid entries; a paid entry is skipped once it is spent. */
  budget: SpendBudgetSchema.optional(),
  /** Prices the served tokens for the dashboard's "money saved". */
  referencePrice: ReferencePriceSchema.optional(),
});
export type Chain = z.infer<typeof ChainSchema>;

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

export const SettingsSchema = z.object({
  // v1 fields and defaults.
  port: z.number().int().min(1).max(65535).default(3429),
  /** Client keys of a config file. May be empty in DB mode, where keys live in the database. */
  apiKeys: z.array(z.string().min(1)).default([]),
  defaultChain: z.string().min(1),
  logLevel: z.enum(LOG_LEVELS).default("info"),
  cooldownDefaultMs: msAtLeast1s.default(60_000),
  requestTimeoutMs: msAtLeast1s.default(30_000),
  streamIdleTimeoutMs: msAtLeast1s.default(30_000),
  dbPath: z.string().default("./data/observability.db"),
  normalizeResponses: z.boolean().default(false),
  midStreamFailureThreshold: positiveInt.default(3),
  midStreamCooldownMs: msAtLeast1s.default(120_000),
  midStreamCooldownMaxMs: msAtLeast1s.default(1_800_000),
  queueMode: z.boolean().default(false),
  queueMaxWaitMs: msAtLeast1s.default(300_000),
  queueMaxSize: positiveInt.default(100),
  // Extensions (additive to v1).
  /** What a `model` that is neither a chain nor `provider/model` does. v1: default chain. */
  unknownModel: z.enum(["default-chain", "reject"]).default("default-chain"),
  /**
   * Other names for chains: an exact model name, or a `prefix*` pattern (the longest matching
   * prefix wins), e.g. `claude-sonnet-*: coding` so Claude Code's own model names land on a
   * chain without client setup. Tried after chain names and `provider/model`.
   */
  modelAliases: z
    .record(z.string().min(1).max(256), z.string().min(1, "must name a chain"))
    .default({}),
  /** Cap for the exponential backoff of repeated 429s on one entry. */
  cooldownMaxMs: msAtLeast1s.default(1_800_000),
  /**
   * Shortest cooldown after a 429, whatever wait the upstream gave: hints come rounded down
   * (Gemini's `retryDelay: "0s"`), and a zero wait invites a burst of wasted calls.
   */
  cooldownMinMs: z.number().int().min(0).max(60_000).default(1_000),
  /** 402 / out of credit with no reset time given. */
  creditCooldownMs: msAtLeast1s.default(3_600_000),
  /** 401/403: the entry is marked auth_failed for this long. */
  authFailedCooldownMs: msAtLeast1s.default(3_600_000),
  circuitBreakerThreshold: positiveInt.default(5),
  circuitBreakerCooldownMs: msAtLeast1s.default(30_000),
  circuitBreakerCooldownMaxMs: msAtLeast1s.default(600_000),
  connectTimeoutMs: msAtLeast1s.default(5_000),
  /** Whole-request deadline across every waterfall attempt, until the response starts. */
  requestDeadlineMs: msAtLeast1s.default(120_000),
  /** Largest accepted request body. */
  maxBodyBytes: positiveInt.default(10 * 1024 * 1024),
  /** A streaming client that reads nothing for this long is cut off and its lease released. */
  streamWriteTimeoutMs: msAtLeast1s.default(30_000),
  /**
   * How long a conversation of an `affinity: conversation` chain stays with its entry after
   * its last turn (each turn renews it).
   */
  affinityTtlMs: msAtLeast1s.default(3_600_000),
  /**
   * How far back an entry's burn rate looks (the time constant of its exponentially weighted
   * use), and so what the quota forecasts in GET /v1/quota and the admin extrapolate from.
   */
  burnRateWindowMs: msAtLeast1s.default(300_000),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const ConfigSchema = z
  .object({
    version: z.literal(1, { error: "must be 1" }),
    settings: SettingsSchema,
    providers: z.array(ProviderConfigSchema).min(1, "must list at least one provider"),
    chains: z.array(ChainSchema).min(1, "must list at least one chain"),
  })
  .superRefine((cfg, ctx) => {
    const providerIds = new Set<string>();
    cfg.providers.forEach((p, i) => {
      if (providerIds.has(p.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["providers", i, "id"],
          message: `duplicate provider id "${p.id}"`,
        });
      }
      providerIds.add(p.id);
    });
    const chainNames = new Set<string>();
    cfg.chains.forEach((c, i) => {
      if (chainNames.has(c.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["chains", i, "name"],
          message: `duplicate chain name "${c.name}"`,
        });
      }
      chainNames.add(c.name);
      if (c.kind === "chat" && c.dimensions !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["chains", i, "dimensions"],
          message: "is only for chains of kind embeddings",
        });
      }
      if (c.kind === "embeddings" && c.affinity !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["chains", i, "affinity"],
          message: "is only for chains of kind chat (an embedding has no conversation)",
        });
      }
      if (c.referencePrice !== undefined && !referencePriceOf(c.referencePrice, cfg.providers)) {
        ctx.addIssue({
          code: "custom",
          path: ["chains", i, "referencePrice"],
          message: `has no known price for "${String(c.referencePrice)}"; give {inputPerMTok, outputPerMTok} instead`,
        });
      }
      c.entries.forEach((e, j) => {
        const provider = cfg.providers.find((p) => p.id === e.provider);
        if (provider && c.budget && !entryPrice(provider, e)) {
          ctx.addIssue({
            code: "custom",
            path: ["chains", i, "entries", j, "price"],
            message: `is needed: chain "${c.name}" has a budget and ${e.provider}/${e.model} is not in the price table (set its price, or free: true on provider "${e.provider}")`,
          });
        }
        if (!provider) {
          ctx.addIssue({
            code: "custom",
            path: ["chains", i, "entries", j, "provider"],
            message: `unknown provider "${e.provider}"`,
          });
        } else if (c.kind === "embeddings" && !EMBEDDINGS_PROVIDER_TYPES.includes(provider.type)) {
          ctx.addIssue({
            code: "custom",
            path: ["chains", i, "entries", j, "provider"],
            message: `provider "${provider.id}" is of type ${provider.type}, which has no embeddings API`,
          });
        }
      });
    });
    for (const [alias, chain] of Object.entries(cfg.settings.modelAliases)) {
      if (!chainNames.has(chain)) {
        ctx.addIssue({
          code: "custom",
          path: ["settings", "modelAliases", alias],
          message: `unknown chain "${chain}"`,
        });
      }
      if (alias.indexOf("*") !== -1 && alias.indexOf("*") !== alias.length - 1) {
        ctx.addIssue({
          code: "custom",
          path: ["settings", "modelAliases", alias],
          message: "a pattern may only end with '*' (a prefix)",
        });
      }
    }
    if (!chainNames.has(cfg.settings.defaultChain)) {
      ctx.addIssue({
        code: "custom",
        path: ["settings", "defaultChain"],
        message: `unknown chain "${cfg.settings.defaultChain}"`,
      });
    }
  });
export type Config = z.infer<typeof ConfigSchema>;

/** A config file (v1): it is the only source of client keys, so it must list at least one. */
export const FileConfigSchema = ConfigSchema.superRefine((cfg, ctx) => {
  if (cfg.settings.apiKeys.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["settings", "apiKeys"],
      message: "must list at least one key",
    });
  }
});
/** What a config file holds before defaults are applied. */
export type ConfigInput = z.input<typeof ConfigSchema>;
