import cluster from "node:cluster";
import type { QuotaStore } from "@429chain/quota";
import type { FastifyInstance } from "fastify";
import type { ConfigSource } from "../config/config-source";

export interface Lifecycle {
  shuttingDown: boolean;
}

interface HealthRouteOptions {
  config: ConfigSource;
  quota: QuotaStore;
  lifecycle: Lifecycle;
  version: string;
  replicaId: string;
}

/** `/health`: liveness (v1 shape, no auth). */
export async function healthRoutes(app: FastifyInstance, opts: HealthRouteOptions) {
  const bootedAt = Date.now();
  app.get("/health", async () => {
    const snapshot = opts.config.current();
    return {
      status: "ok",
      version: opts.version,
      uptime: Math.round((Date.now() - bootedAt) / 1000),
      providers: snapshot.providers.size,
      chains: snapshot.chains.size,
      replica: opts.replicaId,
      // GATEWAY_WORKERS: which worker process answered.
      ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}),
    };
  });
}

/** `/ready`: config loaded, state store reachable or degraded; 503 once shutting down. */
export async function readyRoute(app: FastifyInstance, opts: HealthRouteOptions) {
  app.get("/ready", async (_request, reply) => {
    const store = opts.quota.health();
    const configSource = opts.config.health();
    const healthy = store === "ok" && configSource === "ok";
    const body = {
      status: opts.lifecycle.shuttingDown ? "shutting_down" : healthy ? "ready" : "degraded",
      configVersion: opts.config.current().version,
      configSource,
      stateStore: store,
      replica: opts.replicaId,
    };
    return reply.code(opts.lifecycle.shuttingDown ? 503 : 200).send(body);
  });
}
