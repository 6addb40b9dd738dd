import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { AggregatorRegistry } from "prom-client";
import type { Env } from "./env";
import { createGateway, createLogger } from "./gateway";
import { startPrimary } from "./primary";
import { startServer } from "./server";

/** How many gateway processes this host runs: GATEWAY_WORKERS, "auto" being one per CPU. */
function workerCount(env: Env): number {
  return env.GATEWAY_WORKERS === "auto" ? availableParallelism() : env.GATEWAY_WORKERS;
}

/**
 * Starts the gateway described by `env`: one process, or with GATEWAY_WORKERS a primary that
 * forks the workers (each a whole gateway) sharing the port. Resolves once listening.
 */
export async function startGateway(env: Env): Promise<void> {
  const workers = workerCount(env);
  if (workers > 1 && cluster.isPrimary) {
    if (!env.REDIS_URL) {
      throw new Error(
        "GATEWAY_WORKERS above 1 needs REDIS_URL: worker processes share quota state, cooldowns and key limits only through Redis",
      );
    }
    await startPrimary(env, workers);
    return;
  }
  const inWorkerMode = cluster.isWorker;
  const logger = createLogger(env);
  // In worker mode the primary owns METRICS_PORT (the workers' metrics summed).
  const gateway = await createGateway(
    inWorkerMode ? { ...env, METRICS_PORT: undefined } : env,
    logger,
    {
      opsRoutes: !inWorkerMode || env.METRICS_PORT === undefined,
    },
  );
  if (inWorkerMode) {
    // prom-client answers the primary's metrics requests only once an AggregatorRegistry has
    // been made in this process (its constructor adds the IPC listener).
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([gateway.metrics.registry]);
  }
  const { address } = await startServer({
    app: gateway.app,
    ...(gateway.ops && env.METRICS_PORT !== undefined && !inWorkerMode
      ? { ops: { app: gateway.ops, port: env.METRICS_PORT } }
      : {}),
    lifecycle: gateway.lifecycle,
    host: env.HOST,
    port: env.PORT ?? gateway.config.current().settings.port,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    closeResources: gateway.closeResources,
    onDrain: () => gateway.queue.release(),
  });
  logger.info(
    {
      address,
      config: gateway.config.current().source,
      stateStore: env.REDIS_URL ? "redis" : "memory",
      ...(inWorkerMode ? { worker: cluster.worker?.id } : {}),
    },
    "429chain gateway ready",
  );
}
