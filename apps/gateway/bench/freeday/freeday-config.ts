import type { RateLimits } from "@429chain/contracts";
import { FREEDAY_PAID } from "./freeday-paid";
import type { FreedayProvider } from "./freeday-providers";

/**
 * `paid-budget`: as `declared`, the free tiers marked free, and a paid entry with a budget.
 * `queue`: headers only, with queueMode on (requests wait for quota instead of a 429).
 */
export type FreedayVariant = "headers-only" | "declared" | "paid-budget" | "queue";

export const FREEDAY_CHAIN = "free-day";
export const FREEDAY_KEYS = ["sk-freeday-alpha", "sk-freeday-bravo", "sk-freeday-charlie"];

/** What the declared variant can tell the gateway about one provider, and what it cannot. */
export interface DeclaredPlan {
  provider: string;
  /** Where the limits go: `rateLimits` (account) or `modelRateLimits[model]`. */
  scope: "provider" | "entry";
  declared: RateLimits;
  notDeclared: { limit: string; why: string }[];
}

/**
 * Declared windows are real: a minute is 60 s and a day the UTC day in the gateway. A
 * compressed day's RPD/TPD equals a real-day limit while the run stays inside one UTC day and
 * lasts one compressed day; a compressed minute's RPM/TPM has no real-minute equivalent.
 */
export function declaredPlan(p: FreedayProvider, minuteMs: number): DeclaredPlan {
  const declared: RateLimits = {};
  const notDeclared: DeclaredPlan["notDeclared"] = [];
  const minuteWhy = `a declared per-minute limit counts a real 60 s minute; the compressed minute is ${minuteMs / 1000} s`;
  if (p.limits.rpd !== undefined) declared.requestsPerDay = p.limits.rpd;
  if (p.limits.tpd !== undefined) declared.tokensPerDay = p.limits.tpd;
  if (p.limits.rpm !== undefined)
    notDeclared.push({ limit: `rpm ${p.limits.rpm}`, why: minuteWhy });
  if (p.limits.tpm !== undefined) {
    const unit = p.style === "gemini" ? " (input tokens only)" : "";
    notDeclared.push({ limit: `tpm ${p.limits.tpm}${unit}`, why: minuteWhy });
  }
  return { provider: p.id, scope: p.scope, declared, notDeclared };
}

export interface FreedayConfigOptions {
  upstreamUrl: string;
  providers: readonly FreedayProvider[];
  variant: FreedayVariant;
  minuteMs: number;
}

function providerConfig(p: FreedayProvider, options: FreedayConfigOptions) {
  const base = {
    id: p.id,
    name: p.id,
    type: p.type,
    apiKey: `fake-${p.id}-key`,
    baseUrl: `${options.upstreamUrl}${p.path}`,
  };
  if (options.variant === "headers-only" || options.variant === "queue") return base;
  const { declared } = declaredPlan(p, options.minuteMs);
  const free = options.variant === "paid-budget" ? { free: true } : {};
  return p.scope === "provider"
    ? { ...base, ...free, rateLimits: declared }
    : { ...base, ...free, modelRateLimits: { [p.model]: declared } };
}

function paidProvider(upstreamUrl: string) {
  const { id, type, path } = FREEDAY_PAID;
  return { id, name: id, type, apiKey: `fake-${id}-key`, baseUrl: `${upstreamUrl}${path}` };
}

/**
 * File-mode config of both replicas: one chain over the four providers in order, three client
 * keys. The cooldown used when a 429 names no wait (60 s by default: one real minute) and its
 * cap (30 minutes) are scaled to compressed minutes so they mean what they mean on a real day.
 */
export function buildFreedayConfig(options: FreedayConfigOptions) {
  const paid = options.variant === "paid-budget";
  return {
    version: 1,
    settings: {
      apiKeys: FREEDAY_KEYS,
      defaultChain: FREEDAY_CHAIN,
      cooldownDefaultMs: Math.max(1_000, options.minuteMs),
      cooldownMaxMs: Math.max(1_000, 30 * options.minuteMs),
      // The burn rate's window (5 real minutes by default) is five compressed minutes here.
      burnRateWindowMs: Math.max(1_000, 5 * options.minuteMs),
      // A client waits up to two compressed minutes: past a minute window's reset, not a day's.
      ...(options.variant === "queue"
        ? {
            queueMode: true,
            queueMaxWaitMs: Math.max(1_000, 2 * options.minuteMs),
            queueMaxSize: 1_000,
          }
        : {}),
    },
    providers: [
      ...options.providers.map((p) => providerConfig(p, options)),
      ...(paid ? [paidProvider(options.upstreamUrl)] : []),
    ],
    chains: [
      {
        name: FREEDAY_CHAIN,
        entries: [
          ...options.providers.map((p) => ({ provider: p.id, model: p.model })),
          ...(paid ? [{ provider: FREEDAY_PAID.id, model: FREEDAY_PAID.model }] : []),
        ],
        ...(paid
          ? {
              budget: { dailyUsd: FREEDAY_PAID.dailyUsd },
              referencePrice: `openai/${FREEDAY_PAID.model}`,
            }
          : {}),
      },
    ],
  };
}
