import type { ChatCompletionRequest, RateLimitWindow } from "@429chain/contracts";
import type { HeaderMap } from "@429chain/providers";
import type { AcquireRequest, SettleInput } from "@429chain/quota";
import type { FastifyBaseLogger } from "fastify";
import type { ResolvedTarget } from "../config/resolve-model";
import type { CompiledEntry, ConfigSnapshot } from "../config/snapshot";
import { ClientGoneError, GatewayError } from "../errors";
import type { GatewayMetrics } from "../metrics";
import type { MetricLabels } from "../metrics-labels";
import { AttemptAbort, type UpstreamClient } from "../upstream/http-client";
import { type AttemptRecord, calledRecord, skippedRecord } from "./attempt-record";
import type { AttemptFn, ServedJson, ServedStream } from "./attempt-types";
import { exhaustedError } from "./exhausted";
import type { QuotaSession } from "./quota-session";
import { attemptTimeouts } from "./timeouts";

/** A stream lease is held while the stream lasts; this bounds a crashed replica's leak. */
const STREAM_LEASE_TTL_MS = 15 * 60_000;

export interface WaterfallDeps {
  client: UpstreamClient;
  metrics: GatewayMetrics;
  labels: MetricLabels;
  log: FastifyBaseLogger;
}

export interface WaterfallInput {
  snapshot: ConfigSnapshot;
  target: ResolvedTarget;
  request: ChatCompletionRequest;
  /** Owns every lease the waterfall takes; the caller closes it when the request ends. */
  session: QuotaSession;
  /** The request's signal: aborted with AttemptAbort("client") when the client goes away. */
  signal: AbortSignal;
  /** Deadline for the whole waterfall, until a response starts. */
  deadlineMs: number;
  estimatedTokens: number;
  attempt: AttemptFn;
}

export interface WaterfallServed {
  kind: "served";
  entry: CompiledEntry;
  served: ServedJson | ServedStream;
  /** Windows of the serving response's headers, for the settle once the answer is complete. */
  windows: RateLimitWindow[];
  records: AttemptRecord[];
}

export interface WaterfallClientError {
  kind: "client_error";
  entry: CompiledEntry;
  status: number;
  headers: HeaderMap;
  body: string;
  records: AttemptRecord[];
}

/**
 * Tries the chain's entries in order. Each pick is one quota-store round trip that also
 * settles the previous attempt. The session keeps the serving lease: a JSON answer's outcome
 * is reported here, a stream's by the relay once it ends. Throws GatewayError when no entry
 * can serve.
 */
export async function runWaterfall(
  deps: WaterfallDeps,
  input: WaterfallInput,
): Promise<WaterfallServed | WaterfallClientError> {
  const deadline = new AbortController();
  const onAbort = () => deadline.abort(input.signal.reason);
  if (input.signal.aborted) onAbort();
  else input.signal.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => deadline.abort(new AttemptAbort("deadline")), input.deadlineMs);
  try {
    return await waterfall(deps, input, deadline.signal);
  } finally {
    // Once a response has started, only the client and the idle timeout can end it; the
    // client's signal stays linked so a disconnect still aborts a served stream.
    clearTimeout(timer);
  }
}

async function waterfall(
  deps: WaterfallDeps,
  input: WaterfallInput,
  signal: AbortSignal,
): Promise<WaterfallServed | WaterfallClientError> {
  const { snapshot, target, session } = input;
  const entries = target.chain.entries;
  const stream = input.request.stream === true;
  const records: AttemptRecord[] = [];
  let offset = 0;
  let earliest: number | null = null;
  const noteUntil = (t: number | null) => {
    if (t !== null && t > Date.now() && (earliest === null || t < earliest)) earliest = t;
  };
  const report = (outcome: SettleInput["outcome"], windows: RateLimitWindow[]) =>
    session.report(settleInput(snapshot, outcome, windows, 0));
  /** The last attempt's settle, awaited: its cooldown may be the earliest time to retry. */
  const giveUp = async (): Promise<never> => {
    const settled = await session.settleNow();
    if (settled) {
      noteUntil(settled.cooldownUntil);
      const last = records.at(-1);
      if (last?.called) last.summary.cooldownUntil = settled.cooldownUntil;
    }
    throw abortedError(signal, records) ?? exhaustedError(target.name, records, earliest);
  };

  for (;;) {
    const first = entries[offset];
    if (!first || signal.aborted) return giveUp();
    const req: AcquireRequest = {
      entries: entries.slice(offset).map((e) => e.policy),
      estimatedTokens: input.estimatedTokens,
      leaseTtlMs: stream
        ? STREAM_LEASE_TTL_MS
        : attemptTimeouts(first, snapshot.settings).firstByteMs + 5_000,
    };
    const { settled, next: acquired } = await session.acquire(req);
    if (settled) {
      noteUntil(settled.cooldownUntil);
      const last = records.at(-1);
      if (last) last.summary.cooldownUntil = settled.cooldownUntil;
    }

    for (const skip of acquired.skipped) {
      const entry = entries[offset + skip.index];
      if (!entry) continue;
      const record = skippedRecord(entry, skip);
      records.push(record);
      deps.metrics.attempts.inc({
        ...deps.labels.entry(entry),
        outcome: record.summary.outcome,
      });
      noteUntil(skip.until);
    }
    if (!acquired.ok) {
      noteUntil(acquired.retryAt);
      return giveUp();
    }

    const entry = entries[offset + acquired.lease.index];
    if (!entry) throw new Error("quota store returned a lease outside the candidates");
    const started = performance.now();
    const result = await input.attempt(entry, {
      request: input.request,
      settings: snapshot.settings,
      client: deps.client,
      signal,
    });
    const latencyMs = Math.round(performance.now() - started);
    const outcome = result.kind === "served" ? ({ kind: "ok" } as const) : result.outcome;
    const labels = deps.labels.entry(entry);
    deps.metrics.attempts.inc({ ...labels, outcome: outcome.kind });
    deps.metrics.upstreamDuration.observe(labels, latencyMs / 1000);
    const status = result.kind === "served" ? result.served.status : result.status;
    const record = calledRecord(entry, outcome, status, latencyMs, null);
    records.push(record);

    if (result.kind === "served") {
      if (result.served.kind === "json") {
        session.report(
          settleInput(snapshot, { kind: "ok" }, result.windows, result.served.usage?.totalTokens),
        );
      }
      return { kind: "served", entry, served: result.served, windows: result.windows, records };
    }
    if (result.kind === "failed" && signal.aborted) {
      // Client gone or deadline passed: the attempt is not the entry's fault.
      report({ kind: "cancelled" }, result.windows);
      return giveUp();
    }
    // Windows an error body spelled out count like the headers' ("Limit 6000, Used 5800").
    const bodyWindows = "windows" in result.outcome ? (result.outcome.windows ?? []) : [];
    report(result.outcome, [...result.windows, ...bodyWindows]);
    if (result.kind === "client_error") {
      return {
        kind: "client_error",
        entry,
        status: result.status,
        headers: result.headers,
        body: result.body,
        records,
      };
    }
    deps.log.info(
      {
        chain: target.name,
        provider: entry.provider.id,
        model: entry.model,
        outcome: outcome.kind,
        status,
        reason: record.summary.reason,
      },
      "upstream attempt failed; moving down the chain",
    );
    offset += acquired.lease.index + 1;
  }
}

export function settleInput(
  snapshot: ConfigSnapshot,
  outcome: SettleInput["outcome"],
  windows: RateLimitWindow[],
  tokensUsed: number | undefined,
): SettleInput {
  return {
    outcome,
    windows,
    policy: snapshot.cooldownPolicy,
    ...(tokensUsed !== undefined ? { tokensUsed } : {}),
  };
}

/** The error for a request whose signal fired: deadline → 504; client gone → ClientGoneError. */
function abortedError(signal: AbortSignal, records: AttemptRecord[]): Error | undefined {
  if (!signal.aborted) return undefined;
  const reason = signal.reason;
  if (reason instanceof AttemptAbort && reason.kind === "deadline") {
    return new GatewayError(
      "request_timeout",
      "The request deadline passed before any entry answered.",
      { attempts: records.map((r) => r.summary) },
    );
  }
  return new ClientGoneError();
}
