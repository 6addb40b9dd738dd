import type { TokenUsage } from "@429chain/contracts";
import { estimatePromptTokens } from "@429chain/providers";
import type { RequestLogSink } from "@429chain/queue";
import { hasKeyLimits, type KeyLimiter } from "@429chain/quota";
import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { ConfigSource } from "../config/config-source";
import { resolveModel } from "../config/resolve-model";
import { GatewayError } from "../errors";
import { buildRequestLogJob, outcomeOfError, type RequestEnd } from "../request-log/build-job";
import { AttemptAbort } from "../upstream/http-client";
import { nonStreamAttempt } from "../waterfall/non-stream-attempt";
import type { QueueMode } from "../waterfall/queue-mode";
import { relayStream } from "../waterfall/relay-stream";
import {
  runWaterfall,
  settleInput,
  settleSafely,
  type WaterfallDeps,
} from "../waterfall/run-waterfall";
import { streamAttempt } from "../waterfall/stream-attempt";
import { admitKey, estimatedUsage, sendUpstreamError } from "./chat-helpers";
import { parseChatRequest } from "./parse-chat-request";

export interface ChatRouteOptions {
  deps: WaterfallDeps;
  keyLimiter: KeyLimiter;
  logSink: RequestLogSink;
  replicaId: string;
  config: ConfigSource;
  queue: QueueMode;
  requireApiKey: preHandlerAsyncHookHandler;
}

type Ending = Omit<RequestEnd, "requestId" | "startedAt" | "durationMs" | "apiKeyId" | "replica">;

export async function chatCompletionsRoute(app: FastifyInstance, opts: ChatRouteOptions) {
  const { deps, config, queue } = opts;
  app.post("/v1/chat/completions", { preHandler: opts.requireApiKey }, async (request, reply) => {
    const started = performance.now();
    const startedAt = Date.now();
    const ctx = { chain: "", stream: false, provider: "none" };
    /** Every request ends here once: metrics and its RequestLogJob. */
    const finish = (end: Ending) => {
      const outcome = end.outcome;
      deps.metrics.requests.inc({ chain: ctx.chain, provider: ctx.provider, outcome });
      deps.metrics.requestDuration.observe(
        { chain: ctx.chain, stream: String(ctx.stream), outcome },
        (performance.now() - started) / 1000,
      );
      opts.logSink.enqueue(
        buildRequestLogJob({
          ...end,
          requestId: request.id,
          startedAt,
          durationMs: performance.now() - started,
          apiKeyId: request.clientKey?.id ?? null,
          replica: opts.replicaId,
        }),
      );
    };
    try {
      return await handle();
    } catch (err) {
      const attempts = err instanceof GatewayError ? (err.attempts ?? []) : [];
      if (err instanceof GatewayError && err.attempts) {
        const tried = attempts.map((a) => `${a.provider}/${a.model}:${a.outcome}`);
        request.log.warn(
          { chain: ctx.chain, status: err.status, attempts: tried },
          "no entry could serve",
        );
      }
      finish({ ...ctx, attempts, usage: undefined, ttfbMs: null, ...outcomeOfError(err) });
      throw err;
    }

    async function handle() {
      const snapshot = config.current();
      const body = parseChatRequest(request.body);
      ctx.stream = body.stream === true;
      const target = resolveModel(snapshot, body.model);
      ctx.chain = target.name;
      const allowed = request.clientKey?.allowedChains;
      if (allowed && !allowed.includes(target.name)) {
        throw new GatewayError(
          "chain_not_allowed",
          `This API key may not use '${target.name}'. Allowed: ${allowed.join(", ") || "none"}.`,
          { param: "model" },
        );
      }
      const key = request.clientKey;
      if (key && hasKeyLimits(key)) await admitKey(opts.keyLimiter, key);
      const abort = new AbortController();
      reply.raw.on("close", () => {
        if (!reply.raw.writableFinished) abort.abort(new AttemptAbort("client"));
      });
      const promptTokens = estimatePromptTokens(body);
      const result = await queue.run(snapshot.settings, target.name, abort.signal, () =>
        runWaterfall(
          { ...deps, log: request.log },
          {
            snapshot,
            target,
            request: body,
            abort,
            deadlineMs: snapshot.settings.requestDeadlineMs,
            estimatedTokens: promptTokens + (body.max_completion_tokens ?? body.max_tokens ?? 0),
            attempt: ctx.stream ? streamAttempt : nonStreamAttempt,
          },
        ),
      );
      const calls = result.records.filter((r) => r.called).length;
      deps.metrics.attemptsPerRequest.observe(calls);
      ctx.provider = result.entry.label;
      const attempts = result.records.map((r) => r.summary);
      const headers = {
        "x-request-id": request.id,
        "x-429chain-provider": result.entry.label,
        "x-429chain-attempts": String(calls),
      };
      const recordTokens = (usage: TokenUsage) => {
        if (key && hasKeyLimits(key)) {
          deps.settles.track(opts.keyLimiter.record(key, usage.totalTokens));
        }
      };
      if (result.kind === "client_error") {
        const ttfbMs = performance.now() - started;
        finish({
          ...ctx,
          attempts,
          usage: undefined,
          ttfbMs,
          outcome: "client_error",
          httpStatus: result.status,
          errorCode: null,
        });
        return sendUpstreamError(
          reply,
          result.status,
          result.headers["content-type"],
          result.body,
          headers,
        );
      }
      if (result.served.kind === "json") {
        const usage = result.served.usage ?? estimatedUsage(promptTokens, 0);
        recordTokens(usage);
        request.log.info(
          { chain: ctx.chain, provider: ctx.provider, attempts: calls, usage },
          "served",
        );
        finish({
          ...ctx,
          attempts,
          usage,
          ttfbMs: performance.now() - started,
          outcome: "ok",
          httpStatus: 200,
          errorCode: null,
        });
        return reply.code(200).headers(headers).type("application/json").send(result.served.body);
      }
      reply.hijack();
      const ttfbMs = performance.now() - started;
      const relayed = await relayStream(reply.raw, result.served, headers, abort.signal);
      const usage =
        relayed.usage ?? estimatedUsage(promptTokens, Math.ceil(relayed.completionChars / 4));
      recordTokens(usage);
      deps.settles.track(
        settleSafely(
          deps,
          result.lease,
          settleInput(snapshot, relayed.outcome, result.windows, usage.totalTokens),
        ),
      );
      const kind = relayed.outcome.kind;
      request.log.info(
        { chain: ctx.chain, provider: ctx.provider, attempts: calls, outcome: kind, usage },
        "stream finished",
      );
      finish({
        ...ctx,
        attempts,
        usage,
        ttfbMs,
        outcome: kind === "ok" ? "ok" : kind === "cancelled" ? "cancelled" : "failed",
        httpStatus: 200,
        errorCode: kind === "ok" || kind === "cancelled" ? null : "upstream_stream_error",
      });
    }
  });
}
