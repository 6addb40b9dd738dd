import type { ApiSurface, AttemptSummary, RequestLogJob, TokenUsage } from "@429chain/contracts";

/** What the request lifecycle knows about a request when it ends, however it ends. */
export interface RequestEnd {
  requestId: string;
  /** The client's own X-Client-Request-Id / X-Request-Id, kept apart from ours. */
  clientRequestId: string | null;
  api: ApiSurface;
  startedAt: number;
  durationMs: number;
  ttfbMs: number | null;
  apiKeyId: string | null;
  chain: string;
  stream: boolean;
  replica: string;
  attempts: readonly AttemptSummary[];
  usage: TokenUsage | undefined;
  /** Micro-dollars the serving entry charged; null: unknown or nothing served. */
  costMicros: number | null;
  /** Saved against the chain's reference price; null without one. */
  savedMicros: number | null;
  /** The HTTP status sent, or 499 when the client left first. */
  httpStatus: number;
  outcome: RequestLogJob["outcome"];
  errorCode: string | null;
}

/** RequestLogJob v1 for one request: every attempt, no prompt or completion text. */
export function buildRequestLogJob(end: RequestEnd): RequestLogJob {
  const called = end.attempts.filter((a) => !a.outcome.startsWith("skipped_"));
  const last = called.at(-1) ?? end.attempts.at(-1);
  return {
    v: 1,
    requestId: end.requestId,
    clientRequestId: end.clientRequestId,
    api: end.api,
    at: end.startedAt,
    apiKeyId: end.apiKeyId,
    chain: end.chain,
    provider: last?.provider ?? null,
    model: last?.model ?? null,
    stream: end.stream,
    outcome: end.outcome,
    httpStatus: end.httpStatus,
    errorCode: end.errorCode,
    promptTokens: end.usage?.promptTokens ?? 0,
    completionTokens: end.usage?.completionTokens ?? 0,
    tokensEstimated: end.usage?.estimated ?? true,
    latencyMs: Math.round(end.durationMs),
    costMicros: end.costMicros,
    savedMicros: end.savedMicros,
    ttfbMs: end.ttfbMs === null ? null : Math.round(end.ttfbMs),
    replica: end.replica,
    attempts: end.attempts.map((a) => ({
      provider: a.provider,
      model: a.model,
      outcome: a.outcome,
      status: a.status,
      latencyMs: a.latencyMs,
      cooldownUntil: a.cooldownUntil === null ? null : Math.round(a.cooldownUntil),
    })),
  };
}
