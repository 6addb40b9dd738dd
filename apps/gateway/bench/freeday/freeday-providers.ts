import type { ProviderType } from "@429chain/contracts";
import type { LimitedStyle, ProviderLimits } from "@429chain/testing";

/** One fake free-tier provider of the day, in the order of the chain. */
export interface FreedayProvider {
  id: string;
  style: LimitedStyle;
  type: ProviderType;
  model: string;
  /** Path prefix on the fake upstream; the provider's baseUrl is `${url}${path}`. */
  path: string;
  /** Per compressed minute and per compressed day. */
  limits: ProviderLimits;
  /** Whom the limits bind: the whole account (OpenRouter) or one model (the others). */
  scope: "provider" | "entry";
  /** What its responses tell a gateway that declares nothing. */
  reports: string;
}

// Free-tier shapes (provider-limits.md) scaled so a 20-minute compressed day matters: RPD
// runs out within the day for the first providers of the chain, as on a real busy free day.
export const FREEDAY_PROVIDERS: readonly FreedayProvider[] = [
  {
    id: "groq",
    style: "groq",
    type: "groq",
    model: "llama-3.1-8b-instant",
    path: "/groq",
    limits: { rpm: 12, rpd: 150, tpm: 6_000, tpd: 60_000 },
    scope: "entry",
    reports: "RPD + TPM headers on every answer; RPM and TPD only in a 429 message",
  },
  {
    id: "cerebras",
    style: "cerebras",
    type: "cerebras",
    model: "llama3.1-8b",
    path: "/cerebras",
    limits: { rpm: 10, rpd: 150, tpm: 6_000 },
    scope: "entry",
    reports:
      "-day/-minute headers on every answer (tokens pre-charged with max_tokens); RPM unseen",
  },
  {
    id: "openrouter",
    style: "openrouter",
    type: "openrouter",
    model: "meta-llama/llama-3.3-70b-instruct:free",
    path: "/openrouter",
    limits: { rpm: 8, rpd: 50 },
    scope: "provider",
    reports: "nothing on 200s; 429 with epoch-ms reset in headers and body",
  },
  {
    id: "gemini",
    style: "gemini",
    type: "google-ai",
    model: "gemini-2.0-flash",
    path: "/gemini",
    limits: { rpm: 10, rpd: 200, tpm: 8_000 },
    scope: "entry",
    reports: "nothing on 200s; 429 body with RetryInfo (whole seconds) and QuotaFailure",
  },
];

/** Requests per compressed minute the chain can take when every RPM window is free. */
export function rpmCapacity(providers: readonly FreedayProvider[]): number {
  return providers.reduce((sum, p) => sum + (p.limits.rpm ?? 0), 0);
}

/** Completion tokens every fake generates when max_tokens allows. */
export const COMPLETION_TOKENS = 96;
