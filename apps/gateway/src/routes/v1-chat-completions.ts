import type { TokenUsage } from "@429chain/contracts";
import { estimatePromptTokens } from "@429chain/providers";
import { hasKeyLimits, type KeyLimiter } from "@429chain/quota";
import type { FastifyInstance, FastifyReply, preHandlerAsyncHookHandler } from "fastify";
import type { ConfigSource } from "../config/config-source";
import { resolveModel } from "../config/resolve-model";
import type { ClientKeyInfo } from "../config/snapshot";
import { GatewayError } from "../errors";
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
import { parseChatRequest } from "./parse-chat-request";

export interface ChatRouteOptions {
  deps: WaterfallDeps;
  keyLimiter: KeyLimiter;
  config: ConfigSource;
  queue: QueueMode;
  requireApiKey: preHandlerAsyncHookHandler;
}

export async function chatCompletionsRoute(app: FastifyInstance, opts: ChatRouteOptions) {
  const { deps, config, queue } = opts;
  app.post("/v1/chat/completions", { preHandler: opts.requireApiKey }, async (request, reply) => {
    const started = performance.now();
    const snapshot = config.current();
    const body = parseChatRequest(request.body);
    const target = resolveModel(snapshot, body.model);
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
    const stream = body.stream === true;
    const abort = new AbortController();
    reply.raw.on("close", () => {
      if (!reply.raw.writableFinished) abort.abort(new AttemptAbort("client"));
    });
    const log = request.log;
    const promptTokens = estimatePromptTokens(body);
    const result = await queue
      .run(snapshot.settings, target.name, abort.signal, () =>
        runWaterfall(
          { ...deps, log },
          {
            snapshot,
            target,
            request: body,
            abort,
            deadlineMs: snapshot.settings.requestDeadlineMs,
            estimatedTokens: promptTokens + (body.max_completion_tokens ?? body.max_tokens ?? 0),
            attempt: stream ? streamAttempt : nonStreamAttempt,
          },
        ),
      )
      .catch((err: unknown) => {
        const status = err instanceof GatewayError ? err.status : 499;
        observe(target.name, "none", `error_${status}`, stream);
        if (err instanceof GatewayError && err.attempts) {
          const attempts = err.attempts.map((a) => `${a.provider}/${a.model}:${a.outcome}`);
          log.warn({ chain: target.name, status, attempts }, "no entry of the chain could serve");
        }
        throw err;
      });
    const calls = result.records.filter((r) => r.called).length;
    deps.metrics.attemptsPerRequest.observe(calls);
    const headers = {
      "x-request-id": request.id,
      "x-429chain-provider": result.entry.label,
      "x-429chain-attempts": String(calls),
    };
    if (result.kind === "client_error") {
      observe(target.name, result.entry.label, "client_error", stream);
      return sendUpstreamError(
        reply,
        result.status,
        result.headers["content-type"],
        result.body,
        headers,
      );
    }
    if (result.served.kind === "json") {
      observe(target.name, result.entry.label, "ok", stream);
      const usage = result.served.usage ?? estimatedUsage(promptTokens, 0);
      if (key && hasKeyLimits(key))
        deps.settles.track(opts.keyLimiter.record(key, usage.totalTokens));
      log.info(
        { chain: target.name, provider: result.entry.label, attempts: calls, usage },
        "served",
      );
      return reply.code(200).headers(headers).type("application/json").send(result.served.body);
    }
    reply.hijack();
    const relayed = await relayStream(reply.raw, result.served, headers, abort.signal);
    const usage =
      relayed.usage ?? estimatedUsage(promptTokens, Math.ceil(relayed.completionChars / 4));
    if (key && hasKeyLimits(key)) {
      deps.settles.track(opts.keyLimiter.record(key, usage.totalTokens));
    }
    deps.settles.track(
      settleSafely(
        deps,
        result.lease,
        settleInput(snapshot, relayed.outcome, result.windows, usage.totalTokens),
      ),
    );
    observe(target.name, result.entry.label, relayed.outcome.kind, stream);
    log.info(
      {
        chain: target.name,
        provider: result.entry.label,
        attempts: calls,
        outcome: relayed.outcome.kind,
        usage,
      },
      "stream finished",
    );

    function observe(chain: string, provider: string, outcome: string, isStream: boolean) {
      deps.metrics.requests.inc({ chain, provider, outcome });
      deps.metrics.requestDuration.observe(
        { chain, stream: String(isStream), outcome },
        (performance.now() - started) / 1000,
      );
    }
  });
}

/** The key's own limits, before any upstream is tried: its 429 never waterfalls. */
async function admitKey(limiter: KeyLimiter, key: ClientKeyInfo): Promise<void> {
  const admission = await limiter.admit(key);
  if (admission.ok) return;
  const retryAfter = String(Math.max(1, Math.ceil((admission.retryAt - Date.now()) / 1000)));
  throw admission.reason === "rate_limited"
    ? new GatewayError(
        "key_rate_limited",
        `This API key is limited to ${key.rpm} requests per minute.`,
        {
          headers: { "retry-after": retryAfter },
        },
      )
    : new GatewayError("key_budget_exceeded", "This API key has used its token budget.", {
        headers: { "retry-after": retryAfter },
      });
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

/** A client error from the upstream goes back unchanged (status and body). */
function sendUpstreamError(
  reply: FastifyReply,
  status: number,
  contentType: string | string[] | undefined,
  body: string,
  headers: Record<string, string>,
) {
  const type = typeof contentType === "string" ? contentType : "application/json";
  return reply.code(status).headers(headers).type(type).send(body);
}
