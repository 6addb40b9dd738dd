import { randomUUID } from "node:crypto";
import type { RequestLogAttempt, RequestLogJob } from "@429chain/contracts";

/** mulberry32: a seeded generator, so every run loads the same traffic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Entry = readonly [provider: string, model: string];

/** 8 chains of 3 entries over 6 providers, as a mid-sized free-tier config would have. */
const CHAINS: readonly { name: string; entries: readonly Entry[] }[] = [
  {
    name: "fast",
    entries: [
      ["groq", "llama-3.1-8b-instant"],
      ["cerebras", "llama3.1-8b"],
      ["sambanova", "Meta-Llama-3.1-8B-Instruct"],
    ],
  },
  {
    name: "smart",
    entries: [
      ["groq", "llama-3.3-70b-versatile"],
      ["cerebras", "llama-3.3-70b"],
      ["openrouter", "meta-llama/llama-3.3-70b-instruct:free"],
    ],
  },
  {
    name: "code",
    entries: [
      ["mistral", "codestral-latest"],
      ["openrouter", "qwen/qwen-2.5-coder-32b-instruct:free"],
      ["groq", "qwen-2.5-coder-32b"],
    ],
  },
  {
    name: "long",
    entries: [
      ["gemini", "gemini-2.0-flash"],
      ["gemini", "gemini-1.5-flash"],
      ["openrouter", "google/gemini-2.0-flash-exp:free"],
    ],
  },
  {
    name: "cheap",
    entries: [
      ["cerebras", "llama3.1-8b"],
      ["groq", "llama-3.1-8b-instant"],
      ["mistral", "mistral-small-latest"],
    ],
  },
  {
    name: "reason",
    entries: [
      ["groq", "deepseek-r1-distill-llama-70b"],
      ["openrouter", "deepseek/deepseek-r1:free"],
      ["sambanova", "DeepSeek-R1"],
    ],
  },
  {
    name: "vision",
    entries: [
      ["gemini", "gemini-2.0-flash"],
      ["mistral", "pixtral-12b-2409"],
      ["openrouter", "meta-llama/llama-3.2-11b-vision-instruct:free"],
    ],
  },
  {
    name: "default",
    entries: [
      ["groq", "llama-3.3-70b-versatile"],
      ["gemini", "gemini-2.0-flash"],
      ["mistral", "mistral-small-latest"],
    ],
  },
];

/** 20 client keys (uuids like client_api_keys.id) plus requests made with a config key (null). */
const KEYS: readonly (string | null)[] = [
  null,
  ...Array.from({ length: 20 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`),
];

const REPLICAS = ["gateway-7d9f8c6b5-x2k4p", "gateway-7d9f8c6b5-m8q1z", "gateway-7d9f8c6b5-r5t7w"];

/** Skewed pick: low indexes far more often, like real key and chain usage. */
function skewed<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() ** 2 * items.length)] as T;
}

function attempt(
  entry: Entry,
  outcome: RequestLogAttempt["outcome"],
  status: number | null,
  latencyMs: number,
  at: number,
): RequestLogAttempt {
  const cooling = outcome === "rate_limited" || outcome === "skipped_cooldown";
  return {
    provider: entry[0],
    model: entry[1],
    outcome,
    status,
    latencyMs,
    cooldownUntil: cooling ? at + 60_000 : null,
  };
}

type Shape = Pick<RequestLogJob, "outcome" | "httpStatus" | "errorCode"> & {
  attempts: RequestLogAttempt[];
  served: Entry | null;
};

/**
 * Outcome mix: 80% first entry ok, 10% one 429 then ok, 3% cooldown skip + 429 then ok, 2%
 * upstream error then ok, 2% every entry exhausted, 1% timeout, 1% client error, 1% failed.
 */
function shape(rand: () => number, entries: readonly Entry[], at: number, ms: number): Shape {
  const [e0, e1, e2] = entries as [Entry, Entry, Entry];
  const r = rand();
  const ok = (e: Entry) => attempt(e, "ok", 200, ms, at);
  const served = (attempts: RequestLogAttempt[], e: Entry): Shape => ({
    outcome: "ok",
    httpStatus: 200,
    errorCode: null,
    attempts,
    served: e,
  });
  if (r < 0.8) return served([ok(e0)], e0);
  if (r < 0.9) return served([attempt(e0, "rate_limited", 429, 40, at), ok(e1)], e1);
  if (r < 0.93)
    return served(
      [
        attempt(e0, "skipped_cooldown", null, 0, at),
        attempt(e1, "rate_limited", 429, 35, at),
        ok(e2),
      ],
      e2,
    );
  if (r < 0.95) return served([attempt(e0, "upstream_error", 502, 300, at), ok(e1)], e1);
  if (r < 0.97)
    return {
      outcome: "exhausted",
      httpStatus: 429,
      errorCode: "all_providers_exhausted",
      attempts: [
        attempt(e0, "rate_limited", 429, 40, at),
        attempt(e1, "skipped_quota", null, 0, at),
        attempt(e2, "rate_limited", 429, 50, at),
      ],
      served: e2,
    };
  if (r < 0.98)
    return {
      outcome: "timeout",
      httpStatus: 504,
      errorCode: "request_timeout",
      attempts: [attempt(e0, "timeout", null, 30_000, at)],
      served: e0,
    };
  if (r < 0.99)
    return {
      outcome: "client_error",
      httpStatus: 400,
      errorCode: "invalid_request",
      attempts: [attempt(e0, "client_error", 400, 60, at)],
      served: e0,
    };
  return {
    outcome: "failed",
    httpStatus: 502,
    errorCode: "all_providers_exhausted",
    attempts: [
      attempt(e0, "upstream_error", 500, 200, at),
      attempt(e1, "auth_failed", 401, 80, at),
    ],
    served: e1,
  };
}

/** One logged request at `at` with the mix above, valid against RequestLogJob v1. */
export function syntheticLog(rand: () => number, at: number): RequestLogJob {
  const chain = skewed(rand, CHAINS);
  const latencyMs = Math.round(150 + rand() * 1_500);
  const s = shape(rand, chain.entries, at, latencyMs);
  const ok = s.outcome === "ok";
  const promptTokens = ok ? 50 + Math.floor(rand() * 2_000) : 0;
  return {
    v: 1,
    requestId: randomUUID(),
    clientRequestId: null,
    api: "chat",
    at,
    apiKeyId: skewed(rand, KEYS),
    chain: chain.name,
    provider: s.served?.[0] ?? null,
    model: s.served?.[1] ?? null,
    stream: rand() < 0.6,
    outcome: s.outcome,
    httpStatus: s.httpStatus,
    errorCode: s.errorCode,
    promptTokens,
    completionTokens: ok ? Math.floor(rand() * 800) : 0,
    tokensEstimated: ok && rand() < 0.1,
    costMicros: ok ? Math.round(promptTokens * 0.15) : null,
    savedMicros: null,
    latencyMs: s.attempts.reduce((sum, a) => sum + a.latencyMs, 0),
    ttfbMs: ok ? Math.round(latencyMs * 0.3) : null,
    replica: REPLICAS[Math.floor(rand() * REPLICAS.length)] as string,
    attempts: s.attempts,
  };
}

/** A request the gateway served on its second entry: one 429, then ok (two attempt rows). */
export function twoAttemptLog(rand: () => number, at: number): RequestLogJob {
  const chain = skewed(rand, CHAINS);
  const [e0, e1] = chain.entries as [Entry, Entry];
  const latencyMs = Math.round(150 + rand() * 1_500);
  return {
    ...syntheticLog(rand, at),
    chain: chain.name,
    provider: e1[0],
    model: e1[1],
    outcome: "ok",
    httpStatus: 200,
    errorCode: null,
    promptTokens: 50 + Math.floor(rand() * 2_000),
    completionTokens: Math.floor(rand() * 800),
    latencyMs: latencyMs + 40,
    ttfbMs: Math.round(latencyMs * 0.3) + 40,
    attempts: [attempt(e0, "rate_limited", 429, 40, at), attempt(e1, "ok", 200, latencyMs, at)],
  };
}
