import type { FastifyInstance } from "fastify";
import type { Lifecycle } from "./routes/health";

interface ServerOptions {
  app: FastifyInstance;
  /** The METRICS_PORT listener, if any: up first, closed last, so probes see the drain. */
  ops?: { app: FastifyInstance; port: number };
  lifecycle: Lifecycle;
  host: string;
  port: number;
  shutdownTimeoutMs: number;
  /** Closes what main.ts opened (quota store, Redis, upstream agents, config watcher). */
  closeResources: () => Promise<void>;
  /** Called as the drain starts (requests waiting in the queue are answered then). */
  onDrain?: () => void;
}

/**
 * Listens, and shuts down in a fixed order on SIGTERM/SIGINT: fail readiness, stop accepting,
 * drain in-flight requests and streams (bounded), then close resources.
 */
export async function startServer(
  opts: ServerOptions,
): Promise<{ address: string; shutdown: () => Promise<void> }> {
  if (opts.ops) await opts.ops.app.listen({ host: opts.host, port: opts.ops.port });
  const address = await opts.app.listen({ host: opts.host, port: opts.port });
  let closing: Promise<void> | undefined;

  function shutdown(): Promise<void> {
    closing ??= (async () => {
      opts.lifecycle.shuttingDown = true;
      opts.app.log.info("shutting down: draining in-flight requests");
      opts.onDrain?.();
      const forced = setTimeout(() => {
        opts.app.log.warn("drain timed out; closing remaining connections");
        opts.app.server.closeAllConnections();
      }, opts.shutdownTimeoutMs);
      forced.unref();
      // server.close() only closes connections idle at that moment; a stream that finishes
      // while draining leaves a keep-alive socket that would hold the process for its timeout.
      const idle = setInterval(() => opts.app.server.closeIdleConnections(), 50);
      await opts.app.close();
      clearInterval(idle);
      clearTimeout(forced);
      await opts.ops?.app.close();
      await opts.closeResources();
      opts.app.log.info("shutdown complete");
    })();
    return closing;
  }

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      shutdown().then(
        () => process.exit(0),
        (err) => {
          opts.app.log.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
  return { address, shutdown };
}
