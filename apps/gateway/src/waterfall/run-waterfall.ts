import type { ChatCompletionRequest, RateLimitWindow } from "@429chain/contracts";
import type { HeaderMap } from "@429chain/providers";
import type {
  AcquireRequest,
  AcquireResult,
  Lease,
  QuotaStore,
  SettleInput,
} from "@429chain/quota";
import type { FastifyBaseLogger } from "fastify";
import type { ResolvedTarget } from "../config/resolve-model";
import type { CompiledEntry, ConfigSnapshot } from "../config/snapshot";
import { ClientGoneError, GatewayError } from "../errors";
import type { GatewayMetrics } from "../metrics";
import { AttemptAbort, type UpstreamClient } from "../upstream/http-client";
import { type AttemptRecord, calledRecord, skippedRecord } from "./attempt-record";
import type { AttemptFn, ServedJson, ServedStream } from "./attempt-types";
import { exhaustedError } from "./exhausted";
import type { PendingSettles } from "./pending-settles";
import { attemptTimeouts } from "./timeouts";

/** A stream lease is held while the stream lasts; this bounds a crashed replica's leak. */
const STREAM_LEASE_TTL_MS = 15 * 60_000;

export interface WaterfallDeps {
  quota: QuotaStore;
  settles: PendingSettles;
  client: UpstreamClient;
  metrics: GatewayMetrics;
  log: FastifyBaseLogger;
}

export interface WaterfallInput {
  snapshot: ConfigSnapshot;
  target: ResolvedTarget;
  request: ChatCompletionRequest;
  /** The request's controller: aborted with AttemptAbort("client") when the client goes away. */
  abort: AbortController;
  /** Deadline for the whole waterfall, until a response starts. */
  deadlineMs: number;
  estimatedTokens: number;
  attempt: AttemptFn;
}

export interface WaterfallServed {
  kind: "served";
  entry: CompiledEntry;
  lease: Lease;
  served: ServedJson | ServedStream;
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
 * settles the previous attempt. A served stream keeps its lease; the relay settles it.
 * Throws GatewayError when no entry can serve.
 */
export async function runWaterfall(
  deps: WaterfallDeps,
  input: WaterfallInput,
): Promise<WaterfallServed | WaterfallClientError> {
  const { abort } = input;
  const timer = setTimeout(() => abort.abort(new AttemptAbort("deadline")), input.deadlineMs);
  try {
    return await waterfall(deps, input, abort.signal);
  } finally {
    // Once a response has started, only the client and the idle timeout can end it.
    clearTimeout(timer);
  }
}

async function waterfall(
  deps: WaterfallDeps,
  input: WaterfallInput,
  signal: AbortSignal,
): Promise<WaterfallServed | WaterfallClientError> {
  const { snapshot, target } = input;
  const entries = target.chain.entries;
  const stream = input.request.stream === true;
  const records: AttemptRecord[] = [];
  let offset = 0;
  let pending: { lease: Lease; settle: SettleInput } | undefined;
  let earliest: number | null = null;
  const noteUntil = (t: number | null) => {
    if (t !== null && t > Date.now() && (earliest === null || t < earliest)) earliest = t;
  };

  for (;;) {
    const first = entries[offset];
    if (!first || signal.aborted) {
      if (pending)
        noteUntil((await settleSafely(deps, pending.lease, pending.settle)).cooldownUntil);
      throw (
        abortedError(signal, records) ?? exhaustedError(target.name, records, earliest, Date.now())
      );
    }
    const req: AcquireRequest = {
      entries: entries.slice(offset).map((e) => e.policy),
      estimatedTokens: input.estimatedTokens,
      leaseTtlMs: stream
        ? STREAM_LEASE_TTL_MS
        : attemptTimeouts(first, snapshot.settings).firstByteMs + 5_000,
    };

    let acquired: AcquireResult;
    if (pending) {
      const [settled, next] = await deps.quota.settleAndAcquire(pending.lease, pending.settle, req);
      noteUntil(settled.cooldownUntil);
      const last = records.at(-1);
      if (last) last.summary.cooldownUntil = settled.cooldownUntil;
      acquired = next;
      pending = undefined;
    } else {
      acquired = await deps.quota.acquire(req);
    }

    for (const skip of acquired.skipped) {
      const entry = entries[offset + skip.index];
      if (!entry) continue;
      const record = skippedRecord(entry, skip);
      records.push(record);
      deps.metrics.attempts.inc({
        provider: entry.provider.id,
        model: entry.model,
        outcome: record.summary.outcome,
      });
      noteUntil(skip.until);
    }
    if (!acquired.ok) {
      if (acquired.retryAt !== null) noteUntil(acquired.retryAt);
      throw exhaustedError(target.name, records, earliest, Date.now());
    }

    const { lease } = acquired;
    const entry = entries[offset + lease.index];
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
    deps.metrics.attempts.inc({
      provider: entry.provider.id,
      model: entry.model,
      outcome: outcome.kind,
    });
    deps.metrics.upstreamDuration.observe(
      { provider: entry.provider.id, model: entry.model },
      latencyMs / 1000,
    );
    const status = result.kind === "served" ? result.served.status : result.status;
    const record = calledRecord(entry, outcome, status, latencyMs, null);
    records.push(record);

    if (result.kind === "served") {
      if (result.served.kind === "json") {
        const tokens = result.served.usage?.totalTokens;
        // Not awaited: the answer need not wait for bookkeeping. The settle is written to the
        // Redis connection now, so this replica's next pick already sees it.
        deps.settles.track(
          settleSafely(deps, lease, settleInput(snapshot, { kind: "ok" }, result.windows, tokens)),
        );
      }
      return {
        kind: "served",
        entry,
        lease,
        served: result.served,
        windows: result.windows,
        records,
      };
    }
    if (result.kind === "client_error") {
      const settled = await settleSafely(
        deps,
        lease,
        settleInput(snapshot, result.outcome, result.windows, 0),
      );
      record.summary.cooldownUntil = settled.cooldownUntil;
      return {
        kind: "client_error",
        entry,
        status: result.status,
        headers: result.headers,
        body: result.body,
        records,
      };
    }
    if (signal.aborted) {
      // Client gone or deadline passed: the attempt is not the entry's fault.
      await settleSafely(
        deps,
        lease,
        settleInput(snapshot, { kind: "cancelled" }, result.windows, 0),
      );
      throw abortedError(signal, records) ?? new Error("unreachable: signal aborted");
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
    pending = { lease, settle: settleInput(snapshot, result.outcome, result.windows, 0) };
    offset += lease.index + 1;
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

/** Settling must never fail a request the client is already being served. */
export async function settleSafely(deps: WaterfallDeps, lease: Lease, input: SettleInput) {
  try {
    return await deps.quota.settle(lease, input);
  } catch (err) {
    deps.metrics.stateStoreErrors.inc();
    deps.log.warn({ err }, "quota settle failed");
    return { cooldownUntil: null };
  }
}

/** The error for a request whose signal fired: deadline → 504; client gone → ClientGoneError. */
function abortedError(signal: AbortSignal, records: AttemptRecord[]): Error | undefined {
  if (!signal.aborted) return undefined;
  const reason = signal.reason;
  if (reason instanceof AttemptAbort && reason.kind === "deadline") {
    return new GatewayError(
      "request_timeout",
      "The request deadline passed before any entry answered.",
      {
        attempts: records.map((r) => r.summary),
      },
    );
  }
  return new ClientGoneError();
}
