import type { AttemptOutcomeKind, ProviderConfig, RateLimitWindow } from "@429chain/contracts";
import { getProviderAdapter, type HeaderMap, resolveBaseUrl } from "@429chain/providers";
import { scrubProviderSecrets } from "./scrub-secrets";

export interface ConnectionTestResult {
  /** True when the upstream answered and its answer classifies as ok. */
  ok: boolean;
  /** null when no HTTP answer arrived (refused, DNS, timeout). */
  status: number | null;
  latencyMs: number;
  outcome: AttemptOutcomeKind | "transport_error";
  /** What the answer means, in the provider classifier's words. */
  message: string;
  /** Rate-limit windows parsed from the answer's headers by the provider's parser. */
  rateLimits: RateLimitWindow[];
}

export interface ConnectionTestOptions {
  /** Upstream model name to ask. */
  model: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function headerMapOf(headers: Headers): HeaderMap {
  const out: HeaderMap = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function transportMessage(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = e.cause?.code ?? e.cause?.message;
  return cause
    ? `could not reach the provider (${cause})`
    : `could not reach the provider (${e.message})`;
}

/**
 * Sends the smallest chat request (one token) the way the gateway would, with the provider's
 * own request shaping, classifier and rate-limit header parser. Never includes the key or a
 * credential header in what it returns, even when the upstream echoes one.
 */
export async function testProviderConnection(
  provider: ProviderConfig,
  options: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const adapter = getProviderAdapter(provider.type);
  const prepared = adapter.prepareRequest({
    request: { messages: [{ role: "user", content: "ping" }], max_tokens: 1 },
    model: options.model,
    stream: false,
    provider,
  });
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(`${resolveBaseUrl(provider)}/chat/completions`, {
      method: "POST",
      headers: {
        ...prepared.headers,
        authorization: `Bearer ${provider.apiKey}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify(prepared.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    const latencyMs = elapsed();
    const now = Date.now();
    const headers = headerMapOf(res.headers);
    const outcome = adapter.classifyResponse({ status: res.status, headers, body, now });
    return {
      ok: outcome.kind === "ok",
      status: res.status,
      latencyMs,
      outcome: outcome.kind,
      message: scrubProviderSecrets(
        "reason" in outcome ? outcome.reason : `HTTP ${res.status}: the provider answered`,
        provider,
      ),
      rateLimits: adapter.parseRateLimitHeaders(headers, now),
    };
  } catch (err) {
    return {
      ok: false,
      status: null,
      latencyMs: elapsed(),
      outcome: "transport_error",
      message: scrubProviderSecrets(transportMessage(err, timeoutMs), provider),
      rateLimits: [],
    };
  }
}
