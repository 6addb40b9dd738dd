import "server-only";
import type { AttemptOutcomeKind, ProviderConfig, RateLimitWindow } from "@429chain/contracts";
import {
  buildUpstreamRequest,
  getProviderAdapter,
  type HeaderMap,
  type UpstreamOperation,
  type UpstreamWire,
} from "@429chain/providers";
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

interface ConnectionTestOptions {
  /** Upstream model name to ask. */
  model: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

// The smallest generation request, one user message and one token, is the same body in
// chat completions and in Anthropic Messages; only the operation differs.
const PING_BODY = { messages: [{ role: "user", content: "ping" }], max_tokens: 1 };
const PING_OP: Record<UpstreamWire, UpstreamOperation> = { chat: "chat", anthropic: "messages" };

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
 * Sends the smallest request (one token) in the upstream's own API — chat completions, or
 * Anthropic Messages — built exactly as the gateway builds it, and reads the answer with the
 * provider's classifier and rate-limit header parser. Never includes the key or a
 * credential header in what it returns, even when the upstream echoes one.
 */
export async function testProviderConnection(
  provider: ProviderConfig,
  options: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const adapter = getProviderAdapter(provider.type);
  const op = PING_OP[adapter.wire];
  const prepared = buildUpstreamRequest(provider, op, {
    body: PING_BODY,
    model: options.model,
    stream: false,
  });
  // Every adapter offers its own wire's generation operation: a miss is a bug.
  if (!prepared) throw new Error(`${provider.type} offers no ${op} endpoint`);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(prepared.url, {
      method: "POST",
      headers: prepared.headers,
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
