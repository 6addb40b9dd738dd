import { randomUUID } from "node:crypto";
import type { RequestLogSink } from "@429chain/queue";
import type { KeyLimiter, QuotaStore } from "@429chain/quota";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { ConfigSource } from "./config/config-source";
import type { KeyUsageRecorder } from "./config/key-usage";
import { GatewayError } from "./errors";
import type { GatewayMetrics } from "./metrics";
import { createApiKeyCheck } from "./plugins/auth";
import { errorHandlerPlugin } from "./plugins/error-handler";
import { healthRoutes, type Lifecycle } from "./routes/health";
import { metricsRoute } from "./routes/metrics";
import { chatCompletionsRoute } from "./routes/v1-chat-completions";
import { modelsRoute } from "./routes/v1-models";
import { rateLimitsRoute } from "./routes/v1-ratelimits";
import type { UpstreamClient } from "./upstream/http-client";
import type { PendingSettles } from "./waterfall/pending-settles";
import { QueueMode } from "./waterfall/queue-mode";

export interface AppDeps {
  config: ConfigSource;
  logSink: RequestLogSink;
  keyUsage: KeyUsageRecorder;
  keyLimiter: KeyLimiter;
  settles: PendingSettles;
  quota: QuotaStore;
  client: UpstreamClient;
  metrics: GatewayMetrics;
  lifecycle: Lifecycle;
  logger: FastifyBaseLogger;
  version: string;
  replicaId: string;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Builds the Fastify app (no listen), so tests can inject or listen as they like. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    // One "served" line per chat request is logged by the route; Fastify's pair is noise.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.config.current().settings.maxBodyBytes,
    // A client-chosen id is echoed when it is sane; otherwise a fresh one.
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Requests that arrive while draining get our own 503 (below), in the OpenAI envelope.
    return503OnClosing: false,
  });
  // curl -d sends form encoding by default; every body is treated as JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, body === "" ? undefined : JSON.parse(body as string));
    } catch (err) {
      const error = err as Error & { statusCode?: number };
      error.statusCode = 400;
      done(error, undefined);
    }
  });
  app.decorateRequest("clientKey", undefined);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    if (deps.lifecycle.shuttingDown && request.url.startsWith("/v1/")) {
      reply.header("connection", "close");
      throw new GatewayError("shutting_down", "This gateway replica is shutting down; retry.");
    }
  });
  await app.register(errorHandlerPlugin);

  const requireApiKey = createApiKeyCheck(deps.config, deps.keyUsage);
  const waterfallDeps = {
    quota: deps.quota,
    client: deps.client,
    metrics: deps.metrics,
    log: deps.logger,
    settles: deps.settles,
  };
  await app.register(healthRoutes, deps);
  await app.register(metricsRoute, { metrics: deps.metrics });
  await app.register(modelsRoute, { config: deps.config, requireApiKey });
  await app.register(rateLimitsRoute, { config: deps.config, quota: deps.quota, requireApiKey });
  await app.register(chatCompletionsRoute, {
    deps: waterfallDeps,
    config: deps.config,
    queue: new QueueMode(),
    keyLimiter: deps.keyLimiter,
    logSink: deps.logSink,
    replicaId: deps.replicaId,
    requireApiKey,
  });
  return app;
}
