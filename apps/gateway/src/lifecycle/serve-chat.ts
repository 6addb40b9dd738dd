import type { AttemptSummary, TokenUsage } from "@429chain/contracts";
import { estimatePromptTokens } from "@429chain/providers";
import type { RequestLogSink } from "@429chain/queue";
import type { KeyLimiter, QuotaStore } from "@429chain/quota";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ConfigSource } from "../config/config-source";
import { resolveModel } from "../config/resolve-model";
import { GatewayError } from "../errors";
import type { GatewayMetrics } from "../metrics";
import { metricLabelsFor } from "../metrics-labels";
import { buildRequestLogJob, type RequestEnd } from "../request-log/build-job";
import { parseChatRequest } from "../routes/parse-chat-request";
import { AttemptAbort, type UpstreamClient } from "../upstream/http-client";
import { nonStreamAttempt } from "../waterfall/non-stream-attempt";
import type { PendingSettles } from "../waterfall/pending-settles";
import type { QueueMode } from "../waterfall/queue-mode";
import { QuotaSession } from "../waterfall/quota-session";
import { relayStream } from "../waterfall/relay-stream";
import { runWaterfall, settleInput } from "../waterfall/run-waterfall";
import { streamAttempt } from "../waterfall/stream-attempt";
import { type Admitted, admitKey } from "./key-admission";
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
  replicaId: string;
}

/** Completion tokens counted in an estimate at most: an absurd max_tokens is not a plan. */
const MAX_COMPLETION_ESTIMATE = 1_000_000;

/**
 * One chat request from parsed body to log line. Everything the request holds (the quota
 * lease, the key's token reservation) is released in one `finally`, whatever path it takes;
 * every request is counted and logged exactly once.
 */
export async function serveChat(
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
  const session = new QuotaSession(
    { quota: deps.quota, settles: deps.settles, metrics: deps.metrics, log: request.log },
    snapshot.cooldownPolicy,
  );

  const finish = (end: EndOutcome) => {
    const chain = labels.chain(ctx.chain);
    deps.metrics.requests.inc({ chain, provider: ctx.provider, outcome: end.outcome });
    deps.metrics.requestDuration.observe(
      { chain, stream: String(ctx.stream), outcome: end.outcome },
      (performance.now() - started) / 1000,
    );
    const job: RequestEnd = {
      ...ctx,
      ...end,
      attempts,
      usage,
      ttfbMs,
      requestId: request.id,
      clientRequestId: request.clientRequestId,
      api: "chat",
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
    const body = parseChatRequest(request.body);
    ctx.stream = body.stream === true;
    const target = resolveModel(snapshot, body.model);
    ctx.chain = target.name;
    const key = request.clientKey;
    const allowed = key?.allowedChains;
    if (allowed && !allowed.includes(target.name)) {
      throw new GatewayError(
        "chain_not_allowed",
        `This API key may not use '${target.name}'. Allowed: ${allowed.join(", ") || "none"}.`,
        { param: "model" },
      );
    }
    const promptTokens = estimatePromptTokens(body);
    const maxOut = body.max_completion_tokens ?? body.max_tokens ?? 0;
    const estimatedTokens = promptTokens + Math.min(maxOut, MAX_COMPLETION_ESTIMATE);
    admission = await admitKey(deps.keyLimiter, key, estimatedTokens);

    const result = await deps.queue.run(snapshot.settings, target.queue, abort.signal, () =>
      runWaterfall(
        { client: deps.client, metrics: deps.metrics, labels, log: request.log },
        {
          snapshot,
          target,
          request: body,
          session,
          signal: abort.signal,
          deadlineMs: snapshot.settings.requestDeadlineMs,
          estimatedTokens,
          attempt: ctx.stream ? streamAttempt : nonStreamAttempt,
        },
      ),
    );
    attempts = result.records.map((r) => r.summary);
    const calls = result.records.filter((r) => r.called).length;
    deps.metrics.attemptsPerRequest.observe(calls);
    ctx.provider = labels.entry(result.entry).provider;
    const headers = {
      "x-429chain-provider": result.entry.label,
      "x-429chain-attempts": String(calls),
    };

    if (result.kind === "client_error") {
      ttfbMs = performance.now() - started;
      // Settled before the answer leaves, so the client's next request sees the outcome.
      session.close();
      const type = result.headers["content-type"];
      await reply
        .code(result.status)
        .headers(headers)
        .type(typeof type === "string" ? type : "application/json")
        .send(result.body);
      finish({ outcome: "client_error", httpStatus: result.status, errorCode: null });
      return;
    }
    if (result.served.kind === "json") {
      usage = result.served.usage ?? estimatedUsage(promptTokens, 0);
      ttfbMs = performance.now() - started;
      // The settle is written to the store before the answer leaves: a client that hears back
      // and sends again (to any replica) is picked with this request's report in place.
      session.close();
      request.log.info({ chain: ctx.chain, provider: result.entry.label, calls, usage }, "served");
      await reply.code(200).headers(headers).type("application/json").send(result.served.body);
      finish({ outcome: "ok", httpStatus: 200, errorCode: null });
      return;
    }
    reply.hijack();
    ttfbMs = performance.now() - started;
    const relayed = await relayStream(
      reply.raw,
      result.served,
      { "x-request-id": request.id, ...clientIdHeader(request), ...headers },
      abort.signal,
      snapshot.settings.streamWriteTimeoutMs,
    );
    usage = relayed.usage ?? estimatedUsage(promptTokens, Math.ceil(relayed.completionChars / 4));
    session.report(settleInput(snapshot, relayed.outcome, result.windows, usage.totalTokens));
    const kind = relayed.outcome.kind;
    request.log.info(
      { chain: ctx.chain, provider: result.entry.label, calls, outcome: kind, usage },
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
    if (end.httpStatus === 500) request.log.error({ err }, "internal error serving a request");
    else if (err instanceof GatewayError && err.attempts) {
      const tried = err.attempts.map((a) => `${a.provider}/${a.model}:${a.outcome}`);
      request.log.warn(
        { chain: ctx.chain, status: err.status, attempts: tried },
        "no entry could serve",
      );
    }
    finish(end);
    if (reply.raw.headersSent) {
      // A stream already started: the only way left to tell the client is an error event.
      endStreamWithError(reply, "internal_error");
      return;
    }
    throw err;
  } finally {
    reply.raw.off("close", onClose);
    session.close();
    if (admission) deps.settles.track(admission.settle(usage?.totalTokens ?? 0));
  }
}

function clientIdHeader(request: FastifyRequest): Record<string, string> {
  return request.clientRequestId ? { "x-client-request-id": request.clientRequestId } : {};
}

function endStreamWithError(reply: FastifyReply, code: string) {
  const raw = reply.raw;
  if (raw.destroyed || raw.writableEnded) return;
  const error = {
    error: { message: "The gateway hit an internal error.", type: "api_error", param: null, code },
  };
  raw.end(`event: error\ndata: ${JSON.stringify(error)}\n\n`);
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
