import type { AttemptSummary, TokenUsage } from "@429chain/contracts";
import type { RequestLogSink } from "@429chain/queue";
import type { AffinityStore, KeyLimiter, QuotaStore, SpendBudgets } from "@429chain/quota";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type AffinityTurn, beginAffinityTurn } from "../affinity/conversation-affinity";
import { sessionHeaderMark } from "../affinity/conversation-mark";
import type { ConfigSource } from "../config/config-source";
import { checkChainAllowed } from "../config/key-scope";
import { resolveModel } from "../config/resolve-model";
import { GatewayError } from "../errors";
import type { LedgerView } from "../ledger/ledger-view";
import type { GatewayMetrics } from "../metrics";
import { metricLabelsFor } from "../metrics-labels";
import { buildRequestLogJob, type RequestEnd } from "../request-log/build-job";
import type { ClientStreamEncoder } from "../surfaces/client-stream";
import type { Surface } from "../surfaces/surface";
import { AttemptAbort, type UpstreamClient } from "../upstream/http-client";
import { nonStreamAttempt } from "../waterfall/non-stream-attempt";
import type { PendingSettles } from "../waterfall/pending-settles";
import { QueueKeepAlive } from "../waterfall/queue-keepalive";
import type { QueueMode, QueueServed } from "../waterfall/queue-mode";
import { QuotaSession } from "../waterfall/quota-session";
import { relayStream } from "../waterfall/relay-stream";
import { runWaterfall, settleInput } from "../waterfall/run-waterfall";
import { SpendSession } from "../waterfall/spend-session";
import { streamAttempt } from "../waterfall/stream-attempt";
import { type Admitted, admitKey, admitKeySpend, type KeySpend } from "./key-admission";
import { NO_COST, type RequestCost, requestCost } from "./request-cost";
import { type EndOutcome, outcomeOfError } from "./request-end";

export interface ServeDeps {
  config: ConfigSource;
  quota: QuotaStore;
  settles: PendingSettles;
  client: UpstreamClient;
  metrics: GatewayMetrics;
  keyLimiter: KeyLimiter;
  logSink: RequestLogSink;
  queue: QueueMode;
  ledger: LedgerView;
  replicaId: string;
  /** Where conversations of `affinity: conversation` chains were served last. */
  affinity: AffinityStore;
  /** Money spent per chain and key, in day and month windows (Redis, or this process). */
  budgets: SpendBudgets;
}

/**
 * Completion tokens a paid entry's budget reservation prices when the request sets no
 * max_tokens: a budget is never passed by more than what an answer beyond this costs.
 */
const SPEND_COMPLETION_ESTIMATE = 4_096;
/** Completion tokens counted in an estimate at most: an absurd max_tokens is not a plan. */
const MAX_COMPLETION_ESTIMATE = 1_000_000;
/** A stream whose upstream is silent this long gets a keep-alive frame (SSE comment, ping). */
const STREAM_KEEPALIVE_MS = 10_000;

/**
 * One request, whichever API it came through, from parsed body to log line. The surface
 * parses and translates; the waterfall, quota, key limits, logging and metrics are the same
 * for every surface. Everything the request holds (the quota lease, the key's token
 * reservation) is released in one `finally`, whatever path it takes; every request is counted
 * and logged exactly once.
 */
export async function serveRequest(
  surface: Surface,
  deps: ServeDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const started = performance.now();
  const startedAt = Date.now();
  const snapshot = deps.config.current();
  const labels = metricLabelsFor(snapshot);
  const ctx = { chain: "", stream: false, provider: "none" };
  let attempts: AttemptSummary[] = [];
  let usage: TokenUsage | undefined;
  let ttfbMs: number | null = null;
  let admission: Admitted | undefined;
  let keySpend: KeySpend | undefined;
  let spend: SpendSession | undefined;
  let cost: RequestCost = NO_COST;
  let encoder: ClientStreamEncoder | undefined;
  let queueName: string | undefined;
  /** How a request served from the queue waited (x-429chain-queue). */
  let queued: string | undefined;
  const session = new QuotaSession(
    { quota: deps.quota, settles: deps.settles, metrics: deps.metrics, log: request.log },
    snapshot.cooldownPolicy,
  );

  const finish = (end: EndOutcome) => {
    const chain = labels.chain(ctx.chain);
    const api = surface.name;
    deps.metrics.requestOf(api, chain, ctx.provider, end.outcome).inc();
    deps.metrics
      .requestDurationOf(api, chain, String(ctx.stream), end.outcome)
      .observe((performance.now() - started) / 1000);
    const job: RequestEnd = {
      ...ctx,
      ...end,
      attempts,
      usage,
      ...cost,
      ttfbMs,
      requestId: request.id,
      clientRequestId: request.clientRequestId,
      api: surface.name,
      startedAt,
      durationMs: performance.now() - started,
      apiKeyId: request.clientKey?.id ?? null,
      replica: deps.replicaId,
    };
    deps.logSink.enqueue(buildRequestLogJob(job));
  };

  const abort = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) abort.abort(new AttemptAbort("client"));
  };
  reply.raw.on("close", onClose);
  try {
    const parsed = surface.parse(request.body, { request, settings: snapshot.settings });
    ctx.stream = parsed.stream;
    const target = resolveModel(snapshot, parsed.model);
    ctx.chain = target.name;
    const key = request.clientKey;
    checkChainAllowed(key, target.name);
    const chainKind = target.chain.kind;
    if (chainKind !== undefined && chainKind !== surface.chainKind) {
      throw new GatewayError(
        "invalid_request",
        `Chain '${target.name}' is a ${chainKind} chain; ${surface.chainKind === "embeddings" ? "embeddings need" : "this API needs"} a ${surface.chainKind} chain.`,
        { param: "model" },
      );
    }
    parsed.checkChain?.(target.chain);
    const { promptTokens } = parsed;
    const maxOut = parsed.maxOutputTokens ?? 0;
    const estimatedTokens = promptTokens + Math.min(maxOut, MAX_COMPLETION_ESTIMATE);
    // Chains without affinity pay nothing; with it, the one store read overlaps the key's.
    const mark =
      target.chain.affinity === "conversation" && parsed.conversation
        ? (sessionHeaderMark(request.headers) ?? parsed.conversation())
        : undefined;
    const affinity: Promise<AffinityTurn> | undefined = mark
      ? beginAffinityTurn(
          { store: deps.affinity, metrics: deps.metrics, settles: deps.settles, log: request.log },
          {
            keyHash: key?.hash ?? "",
            chain: target.chain,
            mark,
            ttlMs: snapshot.settings.affinityTtlMs,
          },
        )
      : undefined;
    admission = await admitKey(deps.keyLimiter, key, estimatedTokens);
    keySpend = await admitKeySpend(deps.budgets, key);
    const spending = new SpendSession(
      deps.budgets,
      deps.settles,
      {
        promptTokens,
        completionTokens: Math.min(
          parsed.maxOutputTokens ?? SPEND_COMPLETION_ESTIMATE,
          MAX_COMPLETION_ESTIMATE,
        ),
      },
      keySpend.paidBlocked,
    );
    spend = spending;
    const turn = affinity ? await affinity : undefined;

    queueName = target.queue;
    const waiting = new QueueKeepAlive(reply.raw);
    const result = await deps.queue
      .run(
        {
          settings: snapshot.settings,
          queue: target.queue,
          signal: abort.signal,
          retryHint: () => deps.ledger.chain(target.name)?.availableAt ?? null,
          setOnLease: (hook) => {
            session.onLease = hook;
          },
          onServed: (served) => {
            queued = queueHeader(served);
          },
          // Only a streaming client hears it is waiting; a JSON client's connection just holds.
          ...(parsed.stream
            ? {
                onWaiting: () => {
                  const first = target.chain.entries[0];
                  if (first) encoder = parsed.streamEncoder(first);
                  reply.hijack();
                  waiting.start(replyHeaders(reply));
                },
              }
            : {}),
        },
        () =>
          runWaterfall(
            { client: deps.client, metrics: deps.metrics, labels, log: request.log },
            {
              snapshot,
              target,
              callFor: parsed.callFor,
              ...(parsed.acceptAnswer
                ? {
                    acceptAnswer: (answer, entry) =>
                      parsed.acceptAnswer?.(answer, entry, target.chain),
                  }
                : {}),
              stream: parsed.stream,
              session,
              spend: spending,
              signal: abort.signal,
              deadlineMs: snapshot.settings.requestDeadlineMs,
              estimatedTokens,
              attempt: ctx.stream ? streamAttempt : nonStreamAttempt,
              ...(turn?.preferred ? { preferred: turn.preferred } : {}),
            },
          ),
      )
      .finally(() => waiting.stop());
    if (result.kind === "served") turn?.served(result.entry, labels.chain(ctx.chain));
    attempts = result.records.map((r) => r.summary);
    const calls = result.records.filter((r) => r.called).length;
    deps.metrics.attemptsPerRequest.observe(calls);
    ctx.provider = labels.entry(result.entry).provider;
    const headers = quotaHeaders(deps.ledger, target.name, result.entry.label, calls);
    if (queued) headers["x-429chain-queue"] = queued;

    const wire = result.entry.adapter.wire;
    if (result.kind === "client_error") {
      ttfbMs = performance.now() - started;
      // Settled before the answer leaves, so the client's next request sees the outcome.
      await session.closeBeforeAnswer();
      if (reply.raw.headersSent) {
        // A stream that waited in the queue has started: the refusal goes as its error event.
        reply.raw.end(encoder?.fail(`upstream refused the request (${result.status})`).join(""));
        finish({ outcome: "client_error", httpStatus: result.status, errorCode: null });
        return;
      }
      const type = result.headers["content-type"];
      const answer = parsed.clientError(
        wire,
        result.body,
        typeof type === "string" ? type : undefined,
        result.status,
      );
      await reply.code(result.status).headers(headers).type(answer.contentType).send(answer.body);
      finish({ outcome: "client_error", httpStatus: result.status, errorCode: null });
      return;
    }
    if (result.served.kind === "json") {
      usage = result.served.usage ?? estimatedUsage(promptTokens, 0);
      cost = requestCost(target.chain, result.entry, usage);
      ttfbMs = performance.now() - started;
      // The settle is written to the store before the answer leaves: a client that hears back
      // and sends again (to any replica) is picked with this request's report in place.
      await session.closeBeforeAnswer();
      const { json, text } = result.served;
      const body = parsed.encodeJson({ wire, json, text }, result.entry);
      request.log.info(
        { reqId: request.id, chain: ctx.chain, provider: result.entry.label, calls, usage },
        "served",
      );
      await reply.code(200).headers(headers).type("application/json").send(body);
      finish({ outcome: "ok", httpStatus: 200, errorCode: null });
      return;
    }
    reply.hijack();
    ttfbMs = performance.now() - started;
    encoder = parsed.streamEncoder(result.entry);
    // A stream whose headers went out while it waited hears how it waited as a comment.
    if (queued && reply.raw.headersSent) reply.raw.write(`: served ${queued}\n\n`);
    const relayed = await relayStream(reply.raw, result.served, {
      headers: { ...replyHeaders(reply), ...headers },
      encoder,
      clientSignal: abort.signal,
      writeTimeoutMs: snapshot.settings.streamWriteTimeoutMs,
      keepAliveMs: STREAM_KEEPALIVE_MS,
    });
    usage = relayed.usage ?? estimatedUsage(promptTokens, Math.ceil(relayed.completionChars / 4));
    cost = requestCost(target.chain, result.entry, usage);
    session.report(settleInput(snapshot, relayed.outcome, result.windows, usage.totalTokens));
    const kind = relayed.outcome.kind;
    request.log.info(
      {
        reqId: request.id,
        chain: ctx.chain,
        provider: result.entry.label,
        calls,
        outcome: kind,
        usage,
      },
      relayed.cutOff ? "stream client stopped reading; cut off" : "stream finished",
    );
    finish({
      outcome: kind === "ok" ? "ok" : kind === "cancelled" ? "cancelled" : "failed",
      httpStatus: 200,
      errorCode: kind === "ok" || kind === "cancelled" ? null : "upstream_stream_error",
    });
  } catch (err) {
    if (err instanceof GatewayError && err.attempts) attempts = err.attempts;
    const end = outcomeOfError(err);
    if (end.httpStatus === 500) {
      request.log.error({ reqId: request.id, err }, "internal error serving a request");
    } else if (err instanceof GatewayError && err.attempts) {
      const tried = err.attempts.map((a) => `${a.provider}/${a.model}:${a.outcome}`);
      request.log.warn(
        { reqId: request.id, chain: ctx.chain, status: err.status, attempts: tried },
        "no entry could serve",
      );
    }
    finish(end);
    if (reply.raw.headersSent) {
      // A stream already started: the only way left to tell the client is an error event.
      const raw = reply.raw;
      if (encoder && !raw.destroyed && !raw.writableEnded) {
        const message =
          err instanceof GatewayError ? err.message : "the gateway hit an internal error";
        raw.end(encoder.fail(message).join(""));
      }
      return;
    }
    throw err;
  } finally {
    reply.raw.off("close", onClose);
    session.close();
    // What the request held is back once settled: a waiter of its queue may be served now.
    if (queueName && session.leased && snapshot.settings.queueMode) {
      const queue = queueName;
      void session.settled().then(() => deps.queue.freed(queue));
    }
    if (admission) deps.settles.track(admission.settle(usage?.totalTokens ?? 0));
    spend?.close(cost.costMicros ?? 0);
    if (keySpend) deps.settles.track(keySpend.settle(cost.costMicros ?? 0));
  }
}

/** `ticket=<n>; joined-at=<epoch ms>; wait-ms=<ms>`: its place in the queue and its wait. */
function queueHeader(served: QueueServed): string {
  return `ticket=${served.ticket}; joined-at=${served.joinedAt}; wait-ms=${served.waitedMs}`;
}

/** Headers set on the reply so far (request ids), for a hijacked stream's own writeHead. */
function replyHeaders(reply: FastifyReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (typeof value === "string") out[name] = value;
  }
  return out;
}

/** Usage counted by the gateway when the upstream reported none. */
function estimatedUsage(promptTokens: number, completionTokens: number): TokenUsage {
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    estimated: true,
  };
}

/**
 * What served and what is left: the entry, the upstream calls it took, and the chain's
 * remaining requests where every entry's limits are known (as of at most a second ago).
 */
function quotaHeaders(
  ledger: LedgerView,
  chain: string,
  entry: string,
  calls: number,
): Record<string, string> {
  const headers: Record<string, string> = {
    "x-429chain-entry": entry,
    // v1 clients read the serving entry from this name.
    "x-429chain-provider": entry,
    "x-429chain-attempts": String(calls),
  };
  const remaining = ledger.chain(chain)?.capacity.requests;
  if (remaining?.now != null) headers["x-429chain-remaining-requests"] = String(remaining.now);
  if (remaining?.day != null) headers["x-429chain-remaining-requests-day"] = String(remaining.day);
  return headers;
}
