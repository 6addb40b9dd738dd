import type { FastifyInstance } from "fastify";
import type { GatewayMetrics } from "../metrics";

export async function metricsRoute(app: FastifyInstance, opts: { metrics: GatewayMetrics }) {
  app.get("/metrics", async (_request, reply) => {
    const text = await opts.metrics.registry.metrics();
    return reply.type(opts.metrics.registry.contentType).send(text);
  });
}
