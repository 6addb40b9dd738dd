import type { RateLimitWindow } from "@429chain/contracts";
import type { HeaderMap } from "@429chain/providers";
import type { AcquireRequest, SettleInput } from "@429chain/quota";
import type { FastifyBaseLogger } from "fastify";
import type { ResolvedTarget } from "../config/resolve-model";
import type { CompiledEntry, ConfigSnapshot } from "../config/snapshot";
import { ClientGoneError, GatewayError } from "../errors";
import type { GatewayMetrics } from "../metrics";
import type { MetricLabels } from "../metrics-labels";
import type { UpstreamClient } from "../upstream/http-client";
import {
  type AttemptRecord,
  budgetRecord,
  calledRecord,
  noKeyRecord,
  skippedRecord,
  unsupportedRecord,
} from "./attempt-record";
import type { AttemptFn, CallFor, ServedJson, ServedStream, UpstreamCall } from "./attempt-types";
import { exhaustedError } from "./exhausted";
import type { QuotaSession } from "./quota-session";
import type { SpendSession } from "./spend-session";
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
  /** What each entry is sent, in its own API; an entry that cannot serve is skipped. */
  callFor: CallFor;
  /** A 2xx answer of an entry is served only if this finds nothing wrong with it. */
  acceptAnswer?: (answer: Record<string, unknown>, entry: CompiledEntry) => string | undefined;
  stream: boolean;
  /** Owns every lease the waterfall takes; the caller closes it when the request ends. */
  session: QuotaSession;
  /** Owns the spend reservations of paid entries; the caller closes it when the request ends. */
  spend: SpendSession;
  /** The request's signal: aborted with AttemptAbort("client") when the client goes away. */
  signal: AbortSignal;
  /** Deadline for the whole waterfall, until a response starts. */
  deadlineMs: number;
  estimatedTokens: number;
  attempt: AttemptFn;
  /**
   * Tried first when it can serve the request (the entry that served this conversation's last
   * turn); the rest of the chain follows in its order. The quota store still skips it when it
   * is cooling down or out of quota.
   */
  preferred?: CompiledEntry;
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
  return waterfall(deps, input, Date.now() + input.deadlineMs);
}

async function waterfall(
  deps: WaterfallDeps,
  input: WaterfallInput,
  deadlineAt: number,
): Promise<WaterfallServed | WaterfallClientError> {
  const { signal } = input;
  let timedOut = false;
  const { snapshot, target, session, stream } = input;
  const records: AttemptRecord[] = [];
  // Entries that cannot serve this request (an API feature they lack) are never picked: the
  // quota store sees only the others, and each is listed where it stands in the chain.
  const calls = new Map<CompiledEntry, UpstreamCall>();
  const unsupported = new Map<CompiledEntry, string | null>();
  for (const entry of target.chain.entries) {
    // null: the provider still has a placeholder key (never called, never blamed).
    const call = entry.needsKey ? { unsupported: null } : input.callFor(entry);
    if ("unsupported" in call) unsupported.set(entry, call.unsupported);
    else calls.set(entry, call);
  }
  const supported = target.chain.entries.filter((e) => calls.has(e));
  const { preferred } = input;
  const entries =
    preferred && calls.has(preferred)
      ? [preferred, ...supported.filter((e) => e !== preferred)]
      : supported;
  let listed = 0;
  /**
   * Lists the unsupported entries that stand before `entry` (or all that are left). The
   * preferred entry, taken out of its place, lists nothing: the others are listed as the
   * waterfall reaches their places.
   */
  const listUnsupported = (upTo: CompiledEntry | undefined) => {
    if (upTo !== undefined && upTo === preferred) return;
    const all = target.chain.entries;
    const stop = upTo === undefined ? all.length : all.indexOf(upTo);
    for (; listed < stop; listed++) {
      const e = all[listed];
      const reason = e && unsupported.get(e);
      if (e && reason !== undefined) {
        const record = reason === null ? noKeyRecord(e) : unsupportedRecord(e, reason);
        records.push(record);
        const l = deps.labels.entry(e);
        deps.metrics.attemptOf(l.provider, l.model, record.summary.outcome).inc();
      }
    }
    if (upTo !== undefined) listed = stop + 1;
  };
  const reasons = [...unsupported.values()].filter((r): r is string => r !== null);
  if (entries.length === 0 && reasons.length > 0) {
    listUnsupported(undefined);
    throw new GatewayError(
      "invalid_request",
      `No entry of '${target.name}' can serve this request: ${reasons[0]}.`,
      { attempts: records.map((r) => r.summary) },
    );
  }
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
    if (timedOut || (!signal.aborted && Date.now() >= deadlineAt)) throw deadlineError(records);
    if (signal.aborted) throw new ClientGoneError();
    throw exhaustedError(target.name, records, earliest);
  };

  for (;;) {
    const first = entries[offset];
    if (!first || signal.aborted || Date.now() >= deadlineAt) {
      listUnsupported(undefined);
      return giveUp();
    }
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
      listUnsupported(entry);
      const record = skippedRecord(entry, skip);
      records.push(record);
      const l = deps.labels.entry(entry);
      deps.metrics.attemptOf(l.provider, l.model, record.summary.outcome).inc();
      noteUntil(skip.until);
    }
    if (!acquired.ok) {
      noteUntil(acquired.retryAt);
      listUnsupported(undefined);
      return giveUp();
    }

    const entry = entries[offset + acquired.lease.index];
    const call = entry && calls.get(entry);
    if (!entry || !call) throw new Error("quota store returned a lease outside the candidates");
    listUnsupported(entry);
    // A paid entry is tried only within its chain's budget; its lease is released unjudged.
    const refusal = await input.spend.admit(target.chain, entry);
    if (refusal) {
      const record = budgetRecord(entry, refusal.reason, refusal.until);
      records.push(record);
      const l = deps.labels.entry(entry);
      deps.metrics.attemptOf(l.provider, l.model, record.summary.outcome).inc();
      noteUntil(refusal.until);
      offset += acquired.lease.index + 1;
      continue;
    }
    const started = performance.now();
    const { acceptAnswer } = input;
    const result = await input.attempt(entry, {
      call,
      ...(acceptAnswer ? { accept: (answer) => acceptAnswer(answer, entry) } : {}),
      settings: snapshot.settings,
      client: deps.client,
      signal,
      deadlineAt,
    });
    const latencyMs = Math.round(performance.now() - started);
    const outcome = result.kind === "served" ? ({ kind: "ok" } as const) : result.outcome;
    const labels = deps.labels.entry(entry);
    deps.metrics.attemptOf(labels.provider, labels.model, outcome.kind).inc();
    deps.metrics.upstreamDurationOf(labels.provider, labels.model).observe(latencyMs / 1000);
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
    input.spend.release();
    timedOut = result.kind === "failed" && isDeadline(result.outcome);
    if (result.kind === "failed" && (signal.aborted || timedOut)) {
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

function isDeadline(outcome: SettleInput["outcome"]): boolean {
  return outcome.kind === "timeout" && outcome.phase === "deadline";
}

/** The request deadline passed before any entry answered: 504. */
function deadlineError(records: AttemptRecord[]): GatewayError {
  return new GatewayError(
    "request_timeout",
    "The request deadline passed before any entry answered.",
    { attempts: records.map((r) => r.summary) },
  );
}
