import cluster, { type Worker } from "node:cluster";
import { createServer } from "node:http";
import { AggregatorRegistry } from "prom-client";
import type { Env } from "./env";
import { createLogger } from "./gateway";
import { tokenMatches } from "./routes/metrics";

/** A worker that dies on its own is replaced after this long (a crash loop stays bounded). */
const RESTART_DELAY_MS = 1_000;

/**
 * GATEWAY_WORKERS: the primary forks the workers (each a whole gateway; the OS balances the
 * shared port between them), replaces one that dies, passes SIGTERM/SIGINT on and exits when
 * they all have. On METRICS_PORT it serves /metrics (every worker's metrics summed), /ready
 * (every worker listening) and /health.
 */
export async function startPrimary(env: Env, count: number): Promise<void> {
  const logger = createLogger(env);
  const listening = new Set<number>();
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.on("listening", () => listening.add(worker.id));
  };
  cluster.on("exit", (worker: Worker, code, signal) => {
    listening.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ worker: worker.id, code, signal }, "gateway worker died; starting another");
    setTimeout(fork, RESTART_DELAY_MS).unref();
  });
  for (let i = 0; i < count; i++) fork();
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  }
  if (env.METRICS_PORT !== undefined) {
    const registry = new AggregatorRegistry();
    const server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/metrics") {
        if (env.METRICS_TOKEN && !tokenMatches(req.headers.authorization, env.METRICS_TOKEN)) {
          res.writeHead(401).end();
          return;
        }
        registry.clusterMetrics().then(
          (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
        return;
      }
      if (path === "/ready" || path === "/health") {
        const ready = path === "/health" || (!stopping && listening.size === count);
        res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: ready ? "ready" : "starting", workers: listening.size }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(env.METRICS_PORT, env.HOST, resolve));
    server.unref();
  }
  logger.info({ workers: count }, "429chain gateway primary started its workers");
}
