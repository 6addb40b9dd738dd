import { randomUUID } from "node:crypto";
import { CLIENT_REQUEST_ID_MAX, ClientRequestIdSchema } from "@429chain/contracts";
import type { RequestLogSink } from "@429chain/queue";
import type { AffinityStore, KeyLimiter, QuotaStore, SpendBudgets } from "@429chain/quota";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { ConfigSource } from "./config/config-source";
import type { KeyUsageRecorder } from "./config/key-usage";
import { GatewayError } from "./errors";
import { parseJsonBody } from "./http/json-body";
import { LedgerView } from "./ledger/ledger-view";
import type { GatewayMetrics } from "./metrics";
import { createApiKeyCheck } from "./plugins/auth";
import { errorHandlerPlugin } from "./plugins/error-handler";
import { apiRoutes } from "./routes/api-routes";
import { controlRoutes } from "./routes/control";
import { healthRoutes, type Lifecycle, readyRoute } from "./routes/health";
import { metricsRoute } from "./routes/metrics";
import { staticPages } from "./routes/static-pages";
import { countTokensRoute } from "./routes/v1-count-tokens";
import { modelsRoute } from "./routes/v1-models";
import { quotaRoute } from "./routes/v1-quota";
import { rateLimitsRoute } from "./routes/v1-ratelimits";
import { surfaceOf } from "./surfaces/route-surface";
import type { UpstreamClient } from "./upstream/http-client";
import type { PendingSettles } from "./waterfall/pending-settles";
import type { QueueMode } from "./waterfall/queue-mode";

export interface AppDeps {
  config: ConfigSource;
  logSink: RequestLogSink;
  keyUsage: KeyUsageRecorder;
  keyLimiter: KeyLimiter;
  /** Where conversations of affinity chains were served last (Redis, or this process). */
  affinity: AffinityStore;
  /** Money spent per chain and key (Redis, failing closed; or this process). */
  budgets: SpendBudgets;
  settles: PendingSettles;
  quota: QuotaStore;
  /** queueMode's waiters: one FIFO per chain shared by the replicas (Redis) or this process. */
  queue: QueueMode;
  client: UpstreamClient;
  metrics: GatewayMetrics;
  lifecycle: Lifecycle;
  logger: FastifyBaseLogger;
  version: string;
  replicaId: string;
  /** Listening beyond loopback: the repository's example keys are refused. */
  exposed: boolean;
  /** Serve /metrics and /ready here too (no separate METRICS_PORT listener). */
  opsRoutes: boolean;
  /** Bearer token /metrics requires, if any. */
  metricsToken: string | undefined;
  /** The control API (CONTROL_TOKEN) and the listener serving it; undefined: off. */
  control: { token: string; on: "api" | "ops" } | undefined;
  /**
   * Slow or idle clients cannot hold sockets and memory: headers and the whole request must
   * arrive in time (responses and streams are not bounded by these).
   */
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
}

/**
 * The client's own request id (`X-Client-Request-Id`, or `X-Request-Id` as many proxies send
 * it), kept beside ours, never instead of it. Bounded and printable, or a 400.
 */
function clientRequestIdOf(request: FastifyRequest): string | null {
  for (const name of ["x-client-request-id", "x-request-id"] as const) {
    const value = request.headers[name];
    if (typeof value !== "string") continue;
    const id = value.trim();
    if (id === "") continue;
    if (!ClientRequestIdSchema.safeParse(id).success) {
      throw new GatewayError(
        "invalid_request",
        `The ${name} header must be at most ${CLIENT_REQUEST_ID_MAX} printable ASCII characters.`,
        { param: name },
      );
    }
    return id;
  }
  return null;
}

/** Builds the Fastify app (no listen), so tests can inject or listen as they like. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    // One "served" line per chat request is logged by the route; Fastify's pair is noise.
    logController: new LogController({ disableRequestLogging: true }),
    // A child logger per request only when debug lines (which need the request id) are on:
    // lines the lifecycle writes at info name the request id themselves.
    childLoggerFactory: (logger, bindings, opts) =>
      logger.level === "debug" || logger.level === "trace" ? logger.child(bindings, opts) : logger,
    bodyLimit: deps.config.current().settings.maxBodyBytes,
    // The gateway names every request itself; a client's id is kept apart (clientRequestId).
    genReqId: () => randomUUID(),
    requestTimeout: deps.timeouts.requestMs,
    keepAliveTimeout: deps.timeouts.keepAliveMs,
    // Node enforces the header and request timeouts on a sweep, every 30 s by default: a slow
    // client would hold its socket that much past its deadline.
    http: {
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, deps.timeouts.headersMs / 2)),
    },
    // Requests that arrive while draining get our own 503 (below), in the OpenAI envelope.
    return503OnClosing: false,
  });
  // Node requires headersTimeout <= requestTimeout.
  app.server.headersTimeout = Math.min(deps.timeouts.headersMs, deps.timeouts.requestMs);
  // curl -d sends form encoding by default; every body is treated as JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      const error = err as Error & { statusCode?: number };
      error.statusCode = 400;
      done(error, undefined);
    }
  });
  app.decorateRequest("clientKey", undefined);
  app.decorateRequest("clientRequestId", null);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    // Anthropic's SDKs read their request id from `request-id`.
    if (surfaceOf(request) === "messages") reply.header("request-id", request.id);
    request.clientRequestId = clientRequestIdOf(request);
    if (request.clientRequestId) reply.header("x-client-request-id", request.clientRequestId);
    if (deps.lifecycle.shuttingDown && request.url.startsWith("/v1/")) {
      reply.header("connection", "close");
      throw new GatewayError("shutting_down", "This gateway replica is shutting down; retry.");
    }
  });
  await app.register(errorHandlerPlugin);

  const requireApiKey = createApiKeyCheck({
    config: deps.config,
    usage: deps.keyUsage,
    exposed: deps.exposed,
  });
  await app.register(healthRoutes, deps);
  await app.register(staticPages);
  if (deps.opsRoutes) {
    await app.register(readyRoute, deps);
    await app.register(metricsRoute, { metrics: deps.metrics, token: deps.metricsToken });
  }
  await app.register(modelsRoute, { config: deps.config, requireApiKey });
  await app.register(rateLimitsRoute, { config: deps.config, quota: deps.quota, requireApiKey });
  const ledger = new LedgerView({
    config: deps.config,
    quota: deps.quota,
    queue: deps.queue,
    log: deps.logger,
  });
  await app.register(quotaRoute, { config: deps.config, ledger, requireApiKey });
  if (deps.control?.on === "api") {
    const { token } = deps.control;
    await app.register(controlRoutes, { config: deps.config, quota: deps.quota, ledger, token });
  }
  await app.register(countTokensRoute, {
    config: deps.config,
    quota: deps.quota,
    client: deps.client,
    requireApiKey,
  });
  await app.register(apiRoutes, {
    deps: {
      config: deps.config,
      quota: deps.quota,
      settles: deps.settles,
      client: deps.client,
      metrics: deps.metrics,
      keyLimiter: deps.keyLimiter,
      logSink: deps.logSink,
      queue: deps.queue,
      ledger,
      replicaId: deps.replicaId,
      affinity: deps.affinity,
      budgets: deps.budgets,
    },
    requireApiKey,
  });
  return app;
}

/**
 * The METRICS_PORT listener: /metrics, /ready and /health, and the control API when it is on;
 * nothing a client key reaches.
 */
export async function buildOpsApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(errorHandlerPlugin);
  await app.register(healthRoutes, deps);
  await app.register(readyRoute, deps);
  await app.register(metricsRoute, { metrics: deps.metrics, token: deps.metricsToken });
  if (deps.control?.on === "ops") {
    const ledger = new LedgerView({
      config: deps.config,
      quota: deps.quota,
      queue: deps.queue,
      log: deps.logger,
    });
    const { token } = deps.control;
    await app.register(controlRoutes, { config: deps.config, quota: deps.quota, ledger, token });
  }
  return app;
}
