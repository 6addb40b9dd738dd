import { readEnv } from "./env";
import { createGateway, createLogger } from "./gateway";
import { startServer } from "./server";

/** Composition root: reads env once, builds the gateway, listens, shuts down gracefully. */
async function main() {
  const env = readEnv();
  const logger = createLogger(env);
  const gateway = await createGateway(env, logger);
  const { address } = await startServer({
    app: gateway.app,
    ...(gateway.ops && env.METRICS_PORT !== undefined
      ? { ops: { app: gateway.ops, port: env.METRICS_PORT } }
      : {}),
    lifecycle: gateway.lifecycle,
    host: env.HOST,
    port: env.PORT ?? gateway.config.current().settings.port,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    closeResources: gateway.closeResources,
  });
  logger.info(
    {
      address,
      config: gateway.config.current().source,
      stateStore: env.REDIS_URL ? "redis" : "memory",
    },
    "429chain gateway ready",
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `429chain gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
